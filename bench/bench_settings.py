"""Settings for the benchmarks: the test settings (DEBUG off, as in production) with production's password
hashers, so the accounts generate_load_data writes under them can log in to bench/load.py's gunicorn."""

from django.conf import global_settings

from conduct.test_settings import *  # noqa: F403

PASSWORD_HASHERS = global_settings.PASSWORD_HASHERS
