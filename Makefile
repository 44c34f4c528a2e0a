# The two commands: `make run` and `make test`. See README.md.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
STAMP := $(VENV)/.installed

.PHONY: run test lint format e2e bench clean

$(STAMP): requirements.txt requirements-dev.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check --upgrade pip
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $(STAMP)

run: $(STAMP)
	DEBUG=$${DEBUG:-1} $(BIN)/python manage.py migrate --noinput
	DEBUG=$${DEBUG:-1} $(BIN)/python manage.py seed_demo --if-empty
	@echo ""
	@echo "SENCO caseload is at http://127.0.0.1:$(PORT)/"
	@echo "Demo logins, all with the password senco-demo:"
	@echo "  senco     SENCO, Oakfield Primary School"
	@echo "  teacher   class teacher (3A), Oakfield Primary School"
	@echo "  ta        teaching assistant (3A), Oakfield Primary School"
	@echo "  head      headteacher, Oakfield Primary School"
	@echo "  governor  governor, Oakfield Primary School"
	@echo "  senco2    SENCO, Riverside Academy (secondary)"
	@echo "  exams     exams officer, Riverside Academy (secondary)"
	@echo "The demo signs in with the password alone (MFA_REQUIRED=1 make run asks for a second factor)."
	@echo ""
	DEBUG=$${DEBUG:-1} MFA_REQUIRED=$${MFA_REQUIRED:-0} $(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

# The suite on every core (pytest-xdist, a test database per worker); JOBS=0 runs it in this one
# process, JOBS=4 on four. ARGS narrows it: make test ARGS="tests/pupils -k register". Work
# stealing keeps both cores busy to the end whatever the tests cost; the ten slowest are listed
# after every run, so a slow new test shows. Bytecode is cached even where PYTHONDONTWRITEBYTECODE
# is set, so each worker need not compile (and rewrite) every test again.
JOBS ?= auto
PYTEST_PARALLEL = PYTHONDONTWRITEBYTECODE= $(BIN)/python -m pytest -n $(JOBS) --dist worksteal --durations=10
test: $(STAMP)
	$(PYTEST_PARALLEL) $(ARGS)

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	DEBUG=1 $(BIN)/python manage.py makemigrations --check --dry-run

format: $(STAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

e2e: $(STAMP)
	$(PYTEST_PARALLEL) tests/e2e $(ARGS)

bench: $(STAMP)
	$(BIN)/python bench/run.py

clean:
	rm -rf $(VENV) db.sqlite3 staticfiles
