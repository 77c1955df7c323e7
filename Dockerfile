# The production image: gunicorn serves the portal; the same image runs migrate, the Celery
# workers, beat and the backups (docker-compose.yml). Two stages: wheels are built with the
# build tools, and only the wheels reach the runtime stage.
#
# Offline intranets: BASE_IMAGE may name a mirror in the intranet's own registry, and
# PIP_INDEX_URL an intranet package index; or build from `make bundle`'s wheelhouse
# (--build-arg WHEELS=wheelhouse: nothing is downloaded). docs/operations.md.
ARG BASE_IMAGE=python:3.11.11-slim-bookworm

FROM ${BASE_IMAGE} AS build
ARG PIP_INDEX_URL=https://pypi.org/simple
ARG WHEELS=
ENV PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_NO_CACHE_DIR=1 PIP_INDEX_URL=${PIP_INDEX_URL}
WORKDIR /build
COPY requirements.lock ./
COPY ${WHEELS:-requirements.lock} /build/wheelhouse-in/
# Every pin is checked against its hash in the lock (--require-hashes), from the index or from
# the shipped wheelhouse.
RUN if ls /build/wheelhouse-in/*.whl >/dev/null 2>&1; then \
        pip wheel --no-index --find-links /build/wheelhouse-in --require-hashes \
            -r requirements.lock -w /build/wheels; \
    else \
        pip wheel --require-hashes -r requirements.lock -w /build/wheels; \
    fi

FROM ${BASE_IMAGE}
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PORTAL_ENV=production \
    PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_NO_CACHE_DIR=1
RUN useradd --create-home --uid 1000 portal
WORKDIR /app

COPY --from=build /build/wheels /tmp/wheels
COPY requirements.lock /tmp/requirements.lock
RUN pip install --no-index --find-links /tmp/wheels --require-hashes -r /tmp/requirements.lock \
    && rm -rf /tmp/wheels /tmp/requirements.lock

# Only what runs is copied (never tests, docs or a wheelhouse lying in the context), and it
# belongs to root, read-only for the user the portal runs as: a flaw in the application cannot
# rewrite it. .dockerignore also keeps .env, .venv, var/ and .git out of the build context.
COPY manage.py gunicorn.conf.py ./
COPY portal portal
COPY cadres cadres
COPY grassroots grassroots
COPY poverty poverty
COPY supervision supervision
COPY templates templates
COPY static static
COPY locale locale
# Static files are collected (and compressed, with hashed names) at build time; settings need
# placeholders but no database. Translations are compiled in the repository (.mo files).
RUN SECRET_KEY=build-only DATABASE_URL=postgres://build/none REDIS_URL=redis://build:6379/0 \
        DATABASE_POOL=false python manage.py collectstatic --no-input -v0 \
    && python -m compileall -q portal cadres grassroots poverty supervision \
    && mkdir -p /app/var/media /app/var/run /app/var/beat /app/var/static-public \
    && chown -R portal:portal /app/var

USER portal
EXPOSE 8000
CMD ["gunicorn", "-c", "gunicorn.conf.py", "portal.wsgi:application"]
