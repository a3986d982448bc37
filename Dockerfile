# k8stui web in a container: the browser mode on port 8000, as a non-root user.
#   docker build -t k8stui-web .
#   docker run --rm -p 8000:8000 -e K8STUI_WEB_PASSWORD=pick-one k8stui-web
# Manifests to run it on a cluster are in deploy/ (see docs/classroom.md).
FROM python:3.12-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

RUN groupadd --gid 10001 k8stui \
    && useradd --uid 10001 --gid 10001 --create-home --shell /usr/sbin/nologin k8stui

WORKDIR /src
COPY pyproject.toml README.md LICENSE ./
COPY k8stui ./k8stui
COPY levels ./levels
# A wheel install: the built-in levels travel inside the package, and /src can go.
RUN pip install ".[web]" && rm -rf /src \
    && mkdir -p /data && chown 10001:10001 /data

WORKDIR /home/k8stui
USER 10001:10001
ENV K8STUI_DATA_DIR=/data
VOLUME ["/data"]
EXPOSE 8000

HEALTHCHECK --interval=30s --timeout=3s \
    CMD python -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/healthz', timeout=2)"

# Listening beyond loopback: set K8STUI_WEB_PASSWORD (the server warns when it is missing).
ENTRYPOINT ["k8stui"]
CMD ["web", "--host=0.0.0.0", "--port=8000", "--data-dir=/data/players"]
