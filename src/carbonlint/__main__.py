from carbonlint.cli import main

raise SystemExit(main())
