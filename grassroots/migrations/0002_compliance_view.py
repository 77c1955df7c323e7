"""The compliance view: every active organisation paired with each active requirement with a
frequency that applies to its kind and category (models.ComplianceCell)."""

from django.db import migrations

CREATE = """
CREATE VIEW grassroots_compliancecell AS
SELECT o.id::text || ':' || r.id::text AS id,
       o.id AS organization_id,
       r.id AS requirement_id
FROM portal_organization o
JOIN grassroots_meetingrequirement r
  ON o.kind = ANY (r.applies_to_kinds)
 AND (cardinality(r.applies_to_categories) = 0 OR o.category = ANY (r.applies_to_categories))
WHERE o.is_active AND r.is_active AND r.frequency <> ''
"""

DROP = "DROP VIEW IF EXISTS grassroots_compliancecell"


class Migration(migrations.Migration):
    dependencies = [("grassroots", "0001_initial")]

    operations = [migrations.RunSQL(CREATE, DROP)]
