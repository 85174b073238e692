# Steward: the bot installed as a package (no source tree at run time), its knowledge bundled,
# server data in the /data volume, run as uid 10001. `docker run IMAGE` starts the bot;
# `docker run IMAGE ask "..."` and `docker run IMAGE check` run the other commands.
#
# The base image is pinned by digest (python:3.12.7-slim-bookworm); PYTHON_IMAGE names another,
# e.g. one available locally: docker build --build-arg PYTHON_IMAGE=python:3.12-slim .
ARG PYTHON_IMAGE=python:3.12.7-slim-bookworm@sha256:032c52613401895aa3d418a4c563d2d05f993bc3ecc065c8f4e2280978acd249
FROM ${PYTHON_IMAGE}

ENV PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    STEWARD_DATA_DIR=/data

RUN useradd --create-home --uid 10001 steward \
    && mkdir -p /data && chown steward:steward /data

WORKDIR /src
# Dependencies (and the build backend) first, read from pyproject.toml alone, so that this layer
# is rebuilt only when they change, not on every change to the code.
COPY pyproject.toml ./
RUN python -c "import tomllib; p = tomllib.load(open('pyproject.toml', 'rb')); print('\n'.join(p['build-system']['requires'] + p['project']['dependencies']))" > requirements.txt \
    && pip install -r requirements.txt

# The code, installed (not editable), compiled to bytecode, and checked. The bundled knowledge is
# owned by the bot's user so that owners' edits from Discord can be written back to it (mount a
# directory and set STEWARD_KNOWLEDGE_DIR to keep them across containers).
COPY README.md ./
COPY bot ./bot
COPY cogs ./cogs
COPY knowledge ./knowledge
RUN pip install --no-deps --no-build-isolation . \
    && cd / && rm -rf /src \
    && site="$(python -c 'import sysconfig; print(sysconfig.get_path("purelib"))')" \
    && python -m compileall -q "$site/bot" "$site/cogs" \
    && chown -R steward:steward "$site/bot/bundled_knowledge" \
    && steward check

USER steward
WORKDIR /home/steward
VOLUME ["/data"]
# Healthy while the bot is connected to Discord's gateway: it refreshes /data/.health every 30 s.
HEALTHCHECK --interval=30s --timeout=10s --start-period=60s --retries=3 CMD ["steward", "health"]
ENTRYPOINT ["steward"]
CMD ["run"]
