"""The `rumbo` console command: Django's management commands plus Rumbo's own
(`serve`, `demo`, `org`, ...), which live as management commands in the apps."""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rumbo.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["rumbo", *sys.argv[1:]])


if __name__ == "__main__":
    main()
