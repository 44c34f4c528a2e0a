# The application image: gunicorn serves the site; the same image runs the Celery worker and beat.
FROM python:3.11-slim-bookworm

# WeasyPrint needs Pango and its fonts; libpq is for psycopg2.
RUN apt-get update \
    && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core libpq5 \
    && rm -rf /var/lib/apt/lists/*

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 DJANGO_SETTINGS_MODULE=senco.settings
WORKDIR /app
COPY requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt
COPY . .
# collectstatic needs settings that load; the real key comes from the environment at run time.
RUN SECRET_KEY=collectstatic-only DEBUG=0 python manage.py collectstatic --noinput

RUN useradd --system --uid 10001 senco
# MEDIA_ROOT (uploaded reports, prepared subject access exports): a named volume mounted here
# starts with this owner and mode.
RUN mkdir -p /var/lib/senco/media && chown senco:senco /var/lib/senco/media && chmod 700 /var/lib/senco/media
USER senco
EXPOSE 8000
CMD ["gunicorn", "senco.wsgi", "--config", "gunicorn.conf.py"]
