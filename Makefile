# The two set-up commands: `make run` and `make test`. Both create .venv and
# install the pinned requirements, skipping the install when the requirement
# files have not changed since the last one.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
PORT ?= 8501
# Only this machine reaches the app unless SIAGA_BIND says otherwise (e.g. 0.0.0.0 behind a proxy).
SIAGA_BIND ?= 127.0.0.1

.PHONY: run test lint bench serve-replicas load-test clean
N ?= 2

$(STAMP): requirements.txt requirements-dev.txt
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || \
		{ echo "Python 3.11 or newer is needed (found: $$($(PYTHON) --version))"; exit 1; }
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV) || \
		{ echo "Could not create .venv; on Debian/Ubuntu run: sudo apt-get install python3-venv"; exit 1; }
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements-dev.txt
	@touch $(STAMP)

# Without DATABASE_URL: the SQLite demo database data/demo.db, seeded when new.
# With it: that database, migrated, and never any demo accounts.
run: $(STAMP)
	@url="$${DATABASE_URL:-sqlite:///data/demo.db}"; \
	$(BIN)/python -m storage --database "$$url" upgrade && \
	if [ -z "$$DATABASE_URL" ]; then $(BIN)/python -m storage --database "$$url" seed-demo --if-empty; fi && \
	DATABASE_URL="$$url" exec $(BIN)/streamlit run app.py --server.port $(PORT) --server.address $(SIAGA_BIND)

# N replicas on 127.0.0.1 and nginx on PORT, all on the PostgreSQL of DATABASE_URL (migrated);
# without DATABASE_URL, a throwaway PostgreSQL with the demo data. See deploy/README.md.
serve-replicas: $(STAMP)
	$(BIN)/python -m ops.replicas --replicas $(N) --port $(PORT)

# The browser tests' OpenID provider (npm oidc-provider, tests/oidc): installed from the lock
# file, again only when it changes.
OIDC := tests/oidc
OIDC_STAMP := $(OIDC)/node_modules/.installed

$(OIDC_STAMP): $(OIDC)/package.json $(OIDC)/package-lock.json
	@command -v npm >/dev/null 2>&1 || \
		{ echo "npm is needed for the test OpenID provider; on Debian/Ubuntu run: sudo apt-get install nodejs npm"; exit 1; }
	cd $(OIDC) && npm ci --no-audit --no-fund --loglevel=error
	@touch $(OIDC_STAMP)

test: $(STAMP) $(OIDC_STAMP)
	$(BIN)/python -m pytest

lint: $(STAMP)
	$(BIN)/ruff check .

bench: $(STAMP)
	$(BIN)/python benchmarks/scoring_bench.py

clean:
	rm -rf $(VENV) .pytest_cache .hypothesis $(OIDC)/node_modules
