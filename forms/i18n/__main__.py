from forms.i18n.commands import main

raise SystemExit(main())
