"""The one home of the suite's factories and helpers: a test takes them from here, not from another test folder.

- `factories`: `Factory` (organisations, accounts with their second factor, survivors, sign-in
  through the API) and `share_consent` (her permission to share with one partner);
- `listings`: `listing` (a published listing row), `listing_payload` (the body a partner posts),
  `week`, `profile` (a survivor's work profile for matching);
- `cases`: `make_case` (an NGO, her counsellor and coordinator, a partner with a job and a
  course), `shared_referral`, `as_user`, `with_worker`, the `CANARIES` that must never leak;
- `pages`: sign in through the login form, the CSRF token of a page, stored rows, `page_gets`
  (every GET page route); `names_not_codes`: what a person reads on a page and the codes she must not;
- `followups`: a delivered alert, risk flags; `due_followups`: a caseload and due follow-ups in bulk;
- `datarights`: a full case and raw/decrypted dumps of every table; `taxonomy`: a tiny ESCO export;
- `db`, `servers`, `smtp_sink`: migrated databases, real web processes, a real SMTP server;
- `identities`, `matrix`: the cast and rows of the access matrix and the schemathesis run.

Browser steps (sign in through a page, screenshot + axe) stay in `tests/e2e/helpers.py`: they
drive a Playwright page and write into the e2e screenshot folder, and nothing else uses them.
"""
