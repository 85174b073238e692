# Steward: a slim image with the knowledge bundled and a volume for server data.
FROM python:3.12-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    STEWARD_DATA_DIR=/data

RUN useradd --create-home --uid 10001 steward \
    && mkdir -p /data && chown steward:steward /data

WORKDIR /app
COPY pyproject.toml README.md ./
COPY bot ./bot
COPY cogs ./cogs
# Owned by the bot's user so owners' edits from Discord can be written back (mount it to keep them).
COPY --chown=steward:steward knowledge ./knowledge
RUN pip install -e . && python -m bot check

USER steward
VOLUME ["/data"]
ENTRYPOINT ["steward", "run"]
