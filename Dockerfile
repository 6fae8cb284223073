FROM python:3.11-slim
WORKDIR /app
COPY pyproject.toml README.md ./
COPY service service
COPY matching matching
COPY skills skills
COPY providers providers
RUN pip install --no-cache-dir . && useradd --system onward
USER onward
ENV LITESTAR_APP=service.asgi:create_app
EXPOSE 8000
