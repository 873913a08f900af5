FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1 PORT=8000

WORKDIR /app
COPY requirements/ requirements/
RUN pip install -r requirements/prod.txt

COPY . .
# Static files are collected at build time; production settings need these only to import.
RUN SECRET_KEY=build TELEGRAM_WEBHOOK_SECRET=build python manage.py collectstatic --noinput -v0

RUN useradd --create-home astrobot && mkdir -p /app/media && chown astrobot /app/media
USER astrobot

EXPOSE 8000
CMD ["sh", "-c", "gunicorn config.asgi:application -k uvicorn_worker.UvicornWorker --bind 0.0.0.0:${PORT} --workers ${WEB_CONCURRENCY:-2} --timeout 60 --access-logfile -"]
