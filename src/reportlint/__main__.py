import sys

from reportlint.frontends.cli import main

sys.exit(main())
