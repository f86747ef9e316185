# syntax=docker/dockerfile:1
# Production image. One image for every process: gunicorn (the default command), the Celery worker
# and Celery beat; docker-compose.yml picks the command. Settings come only from the environment.

# --- Build stage: dependencies, compiled translations, collected static files. gettext (msgfmt) is
# needed only to compile the .po files, so it stays out of the runtime image.
FROM python:3.11-slim-bookworm AS build

ENV PYTHONDONTWRITEBYTECODE=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PATH=/opt/venv/bin:$PATH

RUN apt-get update \
    && apt-get install --yes --no-install-recommends gettext \
    && rm -rf /var/lib/apt/lists/*

# Runtime pins only (requirements-dev.txt brings pytest, Playwright and ruff). requirements.txt is a
# full freeze, so --no-deps installs exactly the pinned set, wheels only (no compiler in slim), and
# pip check fails the build if the freeze ever misses a dependency.
RUN python -m venv /opt/venv
COPY requirements.txt /tmp/requirements.txt
RUN pip install --no-deps --only-binary=:all: -r /tmp/requirements.txt && pip check

WORKDIR /app
COPY . .

# settings.py requires SECRET_KEY and DATABASE_URL; neither command connects to the database, so
# throwaway values exported inside this RUN are enough and never end up in the image's environment.
# DEBUG is unset (off), so collectstatic writes the manifest that WhiteNoise serves at run time.
# The search's Finnish and Swedish dictionaries are built here once (kokemuspankki/text.py), not by the
# first migrate or search of a running container.
ENV KP_LEXICON_DIR=/opt/lexicon
RUN export SECRET_KEY=build-only-not-a-secret DATABASE_URL=postgres://build@localhost/build \
    && python -c "from kokemuspankki.text import prepare_lexicon; prepare_lexicon()" \
    && python manage.py compilemessages \
    && python manage.py collectstatic --no-input \
    && python -m compileall -q /app

# --- Runtime stage.
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PATH=/opt/venv/bin:$PATH \
    KP_DATA_DIR=/data \
    KP_LEXICON_DIR=/opt/lexicon

# A fixed numeric uid/gid so that volume ownership and Kubernetes' runAsNonRoot can rely on it. The
# code stays owned by root (read-only to the app); only /data, where the volumes mount, is writable.
RUN groupadd --system --gid 10001 kokemuspankki \
    && useradd --system --uid 10001 --gid kokemuspankki --create-home --home-dir /home/kokemuspankki \
        --shell /usr/sbin/nologin kokemuspankki \
    && mkdir -p /data/media /data/beat \
    && chown -R 10001:10001 /data

COPY --from=build /opt/venv /opt/venv
COPY --from=build /opt/lexicon /opt/lexicon
COPY --from=build /app /app
WORKDIR /app
USER 10001:10001
EXPOSE 8000

# The access log format leaves out %(r)s and %(q)s (the request line and the query string), which can
# carry tokens and personal data, as well as the client address, referer and user agent. The worker
# heartbeat file goes to tmpfs: on the overlay filesystem a slow write can get a worker killed.
# MaskingLogger hides the tokens that some paths carry (invitation, unsubscribe, password-reset links).
CMD ["gunicorn", "kokemuspankki.wsgi:application", \
     "--bind", "0.0.0.0:8000", \
     "--workers", "3", \
     "--worker-tmp-dir", "/dev/shm", \
     "--access-logfile", "-", \
     "--logger-class", "kokemuspankki.gunicorn_logging.MaskingLogger", \
     "--access-logformat", "time=%(t)s method=%(m)s path=%(U)s status=%(s)s bytes=%(B)s duration_ms=%(M)s"]
