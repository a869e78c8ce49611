"""Staff command: sync the assistant's store with the clinic's articles. See --help."""
import sys

from assistant.cli.ingest import main

if __name__ == "__main__":
    sys.exit(main())
