from iopstudy.cli import main

raise SystemExit(main())
