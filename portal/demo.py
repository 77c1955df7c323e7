"""The demo county's shared part: the organisation tree and one user per role.

Deterministic (a seeded random generator), fictitious, and idempotent: a second run finds
the county and adds nothing. Each app adds its own records in `<app>/demo.py`, whose
`load(county=..., rng=..., scale=...)` is called by `manage.py seed_demo` in order.
"""

import datetime
import random
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction

from portal import services
from portal.idnumbers import check_char
from portal.models import Organization, User
from portal.roles import Role

COUNTY_NAME = "云溪县委"
TOWNSHIPS = [
    "城关镇",
    "东坪镇",
    "河口镇",
    "石门镇",
    "桃源乡",
    "青龙镇",
    "白沙乡",
    "新华镇",
    "柳林乡",
    "龙泉镇",
    "金山乡",
    "高桥镇",
    "双河乡",
    "马鞍镇",
    "清水乡",
]
VILLAGE_FIRST = "大小上下东西南北前后新老高长柳杨李王张陈刘黄石马牛龙凤金银青红白黑花桃杏枣松竹梅兰"
VILLAGE_SECOND = "河坪沟湾岭山庄桥坝岗塘溪口坡园寨湖林田冲"
ORGANS = [
    ("县委办公室", Organization.Category.ORGAN),
    ("县政府办公室", Organization.Category.ORGAN),
    ("县委组织部", Organization.Category.ORGAN),
    ("县纪委监委", Organization.Category.ORGAN),
    ("县发展和改革局", Organization.Category.ORGAN),
    ("县财政局", Organization.Category.ORGAN),
    ("县教育局", Organization.Category.ORGAN),
    ("县卫生健康局", Organization.Category.ORGAN),
    ("县农业农村局", Organization.Category.ORGAN),
    ("县乡村振兴局", Organization.Category.ORGAN),
    ("县人力资源和社会保障局", Organization.Category.ORGAN),
    ("县自然资源局", Organization.Category.ORGAN),
    ("县住房和城乡建设局", Organization.Category.ORGAN),
    ("县交通运输局", Organization.Category.ORGAN),
    ("县水利局", Organization.Category.ORGAN),
    ("县民政局", Organization.Category.ORGAN),
    ("县人民医院", Organization.Category.INSTITUTION),
    ("县中医院", Organization.Category.INSTITUTION),
    ("县第一中学", Organization.Category.SCHOOL),
    ("县第二中学", Organization.Category.SCHOOL),
    ("县职业中学", Organization.Category.SCHOOL),
    ("县实验小学", Organization.Category.SCHOOL),
    ("县供电公司", Organization.Category.STATE_ENTERPRISE),
    ("县城投公司", Organization.Category.STATE_ENTERPRISE),
    ("云溪茶业有限公司", Organization.Category.PRIVATE_ENTERPRISE),
    ("县个体劳动者协会", Organization.Category.SOCIAL_ORGANIZATION),
]


# Fictitious people, shared by every app's demo loader.
SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程苏魏吕"
    "丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严"
    "覃武戴莫孔向汤"
)
GIVEN_MALE = "伟强军勇杰涛明超刚平辉鹏华飞鑫波斌宇浩凯健俊帆帅旭宁龙林欣建国志文海东晓立春永德成"
GIVEN_FEMALE = "芳娜敏静丽艳娟霞秀英华玲红梅兰琳燕萍莉婷雪慧颖洁晶倩琴云凤丹"


def given_name(rng: random.Random, gender: str | None = None) -> str:
    """One or two characters; from the pool of `gender` ("male"/"female"), or either."""
    if gender is None:
        gender = rng.choice(("male", "female"))
    pool = GIVEN_MALE if gender == "male" else GIVEN_FEMALE
    return rng.choice(pool) + (rng.choice(pool) if rng.random() < 0.7 else "")


def person_name(rng: random.Random, gender: str | None = None) -> str:
    return rng.choice(SURNAMES) + given_name(rng, gender)


class IdNumbers:
    """Valid (GB 11643), unique, fictitious ID numbers under a made-up area code."""

    def __init__(self, *, area_code: str, taken=()):
        self.area_code = area_code
        self.next_sequence: dict = {}
        self.taken: set[str] = set(taken)

    def new(self, birth, gender: str) -> str:
        """The next unused number for this birth date; the sequence's parity encodes gender."""
        while True:
            n = self.next_sequence.get(birth, 0)
            self.next_sequence[birth] = n + 1
            first17 = f"{self.area_code}{birth:%Y%m%d}{n * 2 + (gender == 'male'):03d}"
            number = first17 + check_char(first17)
            if number not in self.taken:
                self.taken.add(number)
                return number


@dataclass
class DemoCounty:
    county: Organization
    organs_committee: Organization

    @property
    def townships(self):
        return Organization.objects.filter(
            parent=self.county, kind=Organization.Kind.PARTY_COMMITTEE
        )

    @property
    def branches(self):
        return Organization.objects.subtree_of(self.county).branches()

    @property
    def village_branches(self):
        return self.branches.filter(
            category__in=[Organization.Category.VILLAGE, Organization.Category.COMMUNITY]
        )

    def user(self, username: str) -> User:
        return User.objects.get(username=username)


def village_names(rng: random.Random, count: int) -> list[str]:
    names: set[str] = set()
    while len(names) < count:
        names.add(
            rng.choice(VILLAGE_FIRST) + rng.choice(VILLAGE_FIRST) + rng.choice(VILLAGE_SECOND)
        )
    return sorted(names)


@transaction.atomic
def load(*, rng: random.Random, scale: float = 1.0) -> DemoCounty:
    existing = Organization.objects.filter(parent__isnull=True, name=COUNTY_NAME).first()
    if existing is not None:
        organs = Organization.objects.get(parent=existing, kind=Organization.Kind.WORKING_COMMITTEE)
        return DemoCounty(existing, organs)

    Kind, Category = Organization.Kind, Organization.Category
    county = services.organization_create(
        name=COUNTY_NAME, kind=Kind.COUNTY_COMMITTEE, category=Category.ORGAN
    )
    organs = services.organization_create(
        name="县直机关工委", kind=Kind.WORKING_COMMITTEE, category=Category.ORGAN, parent=county
    )
    repeats = max(1, round(scale))
    for copy in range(repeats):
        suffix = "" if copy == 0 else f"（{copy + 1}）"
        for name, category in ORGANS:
            services.organization_create(
                name=f"{name}{suffix}党支部", kind=Kind.BRANCH, category=category, parent=organs
            )
    # 15 townships × ~13 villages/communities ≈ 200; each township also has its organ's
    # branch and a few school/enterprise branches, ≈ 300 branches in all at scale 1.
    per_township = max(1, round(13 * scale))
    names = village_names(rng, per_township * len(TOWNSHIPS))
    for index, township_name in enumerate(TOWNSHIPS):
        township = services.organization_create(
            name=f"{township_name}党委",
            kind=Kind.PARTY_COMMITTEE,
            category=Category.ORGAN,
            parent=county,
        )
        services.organization_create(
            name=f"{township_name}机关党支部",
            kind=Kind.BRANCH,
            category=Category.ORGAN,
            parent=township,
        )
        services.organization_create(
            name=f"{township_name}中心学校党支部",
            kind=Kind.BRANCH,
            category=Category.SCHOOL,
            parent=township,
        )
        services.organization_create(
            name=f"{township_name}卫生院党支部",
            kind=Kind.BRANCH,
            category=Category.INSTITUTION,
            parent=township,
        )
        for n, village in enumerate(names[index * per_township : (index + 1) * per_township]):
            is_community = township_name.endswith("镇") and n < 2
            category = Category.COMMUNITY if is_community else Category.VILLAGE
            label = f"{village}社区" if is_community else f"{village}村"
            services.organization_create(
                name=f"{label}党支部",
                kind=Kind.BRANCH,
                category=category,
                parent=township,
            )
    _found(rng, county)
    _create_users(county)
    return DemoCounty(county, organs)


def _found(rng: random.Random, county: Organization) -> None:
    """Founding dates (compliance counts only the periods an organisation existed through):
    long before any demo meeting, so every demo period counts."""
    rows = list(Organization.objects.subtree_of(county).only("pk", "depth"))
    for org in rows:
        # Committees first, then their branches, before any member joined.
        year = 1949 + org.depth + rng.randint(0, 3)
        org.founded_on = datetime.date(year, rng.randint(1, 12), 1)
    Organization.objects.bulk_update(rows, ["founded_on"], batch_size=1000)


def _create_users(county: Organization) -> None:
    password = settings.DEMO_PASSWORD
    first_township = Organization.objects.filter(
        parent=county, kind=Organization.Kind.PARTY_COMMITTEE
    ).first()
    villages = Organization.objects.branches().filter(category=Organization.Category.VILLAGE)
    # At tiny scales the first township may hold only a community: take any village then.
    first_village = villages.subtree_of(first_township).first() or villages.first()
    people = [
        ("admin", "系统管理员", Role.ADMIN, county),
        ("staff", "周文静", Role.STAFF, county),
        ("secretary", "李建国", Role.SECRETARY, first_village),
        ("supervisor", "赵明", Role.SUPERVISOR, county),
        ("helper", "王海燕", Role.HELPER, first_township),
        ("leader", "陈志远", Role.LEADER, county),
    ]
    for username, full_name, role, organization in people:
        # Demo users keep the demo password: exempt from the first-sign-in change.
        services.user_create(
            username=username,
            password=password,
            role=role,
            organization=organization,
            full_name=full_name,
            email=f"{username}@yunxi.example",
            is_staff=role == Role.ADMIN,
            is_superuser=role == Role.ADMIN,
            must_change_password=False,
        )
