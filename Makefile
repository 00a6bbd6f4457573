# `make run` and `make test` are self-sufficient on a fresh clone: each installs what it
# needs first (the pinned lock into .venv), builds the spaCy pipeline and trains a model
# only when none matches the current sources.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
RASA   := $(PY) -m rasa

export RASA_TELEMETRY_ENABLED := false
export TF_CPP_MIN_LOG_LEVEL := 2
export SQLALCHEMY_SILENCE_UBER_WARNING := 1

.PHONY: run shell test setup install packages lint validate test-stories test-unit test-fast \
	test-e2e model-then-e2e checks checks-without-model checks-with-model eval bench lock clean scale-up scale-down scale-proof

run: install
	$(PY) -m bot run

shell: install
	$(PY) -m bot shell

# Two lanes side by side (README "Tests"): Rasa trains, then the end-to-end tests run; the
# checks that need no Rasa model run, then those that do. The second lane's `setup` waits
# for the first lane's training (a lock), so the end-to-end tests, the longest part, start
# as soon as the model is there.
test: install packages
	$(PY) -m bot setup --readers-only
	$(MAKE) --no-print-directory -j2 --output-sync=target model-then-e2e checks

model-then-e2e: setup
	$(MAKE) --no-print-directory test-e2e

checks: checks-without-model
	$(MAKE) --no-print-directory checks-with-model

checks-without-model: lint validate test-fast

checks-with-model: test-stories eval

install: $(VENV)/.installed node_modules/.package-lock.json

# Rasa 3.6 declares Python <3.11; the lock holds the set measured to work on 3.11
# (shared/notes/rasa-on-python-3.11.md), installed exactly, without re-resolving (with
# --no-deps nothing checks Rasa's Python marker). uv installs it: it fetches and unpacks
# in parallel, about 30 s on a fresh machine where pip took more than 3 minutes (README
# "Tests"); pip installs uv itself, pinned. It compiles the bytecode as pip does: with
# PYTHONDONTWRITEBYTECODE set (as on these machines), every process would compile Rasa
# again, and the end-to-end tests took 15 min instead of 10.
$(VENV)/.installed: requirements/lock.txt requirements/installer.txt
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --disable-pip-version-check --no-deps \
		-r requirements/installer.txt
	$(VENV)/bin/uv pip install --quiet --native-tls --compile-bytecode --python $(PY) \
		--no-deps -r requirements/lock.txt
	touch $@

# The website's browser packages (package.json), served from node_modules, exactly as locked.
node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund --ignore-scripts
	touch $@

setup: install
	$(PY) -m bot setup

# Style, then the layering contracts of bot/ (import-linter; see [tool.importlinter] in
# pyproject.toml).
lint: install
	$(VENV)/bin/ruff check bot actions bench scripts tests
	$(VENV)/bin/lint-imports --no-cache

validate: install
	$(RASA) data validate --fail-on-warnings --quiet

test-stories: setup
	$(RASA) test core --e2e --model models --stories tests/test_stories.yml \
		--fail-on-prediction-errors --out var/results/stories --quiet

# Every pytest test; `test-fast` the pure ones (no server, no browser: about a minute,
# for the edit-test loop, and what `make test` runs while Rasa trains), `test-e2e` the rest.
test-unit: setup packages
	$(PY) -m pytest

test-fast: install
	$(PY) -m pytest -m unit -q -p no:cacheprovider

test-e2e: setup packages
	$(PY) -m pytest -m "not unit" -p no:cacheprovider --durations=15

# Debian's packages the tests use (Chromium, PostgreSQL, Redis, nginx), and the validators
# of the deployment files (Compose, Kubernetes schemas, hadolint); each installed once.
packages:
	scripts/install_packages.sh
	scripts/deploy_tools.sh

# Held-out NLU accuracy; the emergency detector, the triage's answer and date readers and
# whole triage conversations, each on its dev and frozen final sets (the final ones gate),
# per language. Where a set's figure is under its target, the gate sits a little under the
# measured figure (README "Spanish"; "Questions inside a story, 2026-12-05"; "Questions
# about what counts").
NLU_JUDGES       := judge_2026-12-03_es=0.88,judge_2026-12-05=0.81,judge_2026-12-05_es=0.80
NLU_JUDGES_ER    := judge_er_questions=0.57,judge_er_questions_es=0.58
NLU_TARGETS      := en=0.95,es=0.95,$(NLU_JUDGES),$(NLU_JUDGES_ER)
ANSWER_TARGETS   := en=0.97,es=0.96
DURATION_TARGETS := en=0.95,es=0.95
VIGNETTE_TARGETS := en=0.95,es=0.95
# conversations with an emergency alarm on ordinary answers: the target, none (README
# "Emergencies")
VIGNETTE_FALSE_ALARMS := 0
eval: setup
	$(PY) scripts/eval_nlu.py --heldout tests/nlu/test --min-accuracy $(NLU_TARGETS) --dev tests/nlu/dev
	$(PY) scripts/eval_emergency.py --min-recall 1.0 --max-false-alarms 0.03 --min-advice 1.0
	$(PY) scripts/eval_alarm_replies.py
	$(PY) scripts/eval_people_at_risk.py
	$(PY) scripts/eval_people_at_risk.py --set replies
	$(PY) scripts/eval_triage.py --min-answers $(ANSWER_TARGETS) --min-durations $(DURATION_TARGETS)
	$(PY) scripts/eval_callbacks.py --min-phone 0.97 --min-time 0.9 --min-name 0.88
	$(PY) scripts/play_vignettes.py --min-right $(VIGNETTE_TARGETS) --max-loops 0 \
		--max-false-alarms $(VIGNETTE_FALSE_ALARMS)

# Load, latency and memory figures (docs/benchmarks.md): Locust patients at 1, 10 and 50 at
# once, the in-process floor, a bare `rasa init` bot beside ours; then the emergency
# detector's and the staff pages' own. A short smoke run of the load is part of `make test`.
# `make bench ARGS=--profile` also samples the Rasa server with py-spy at 10 at once.
bench: setup
	$(PY) -m bench.run $(ARGS)
	$(PY) scripts/eval_emergency.py --sets final --max-p95-ms 10
	$(PY) scripts/bench_staff.py

# The scale-out stack on loopback (README "Scale-out"): PostgreSQL, Redis, SERVERS Rasa
# servers and ACTIONS action servers, the website, behind nginx (Debian's packages).
SERVERS ?= 2
ACTIONS ?= 2
scale-up: setup
	$(PY) -m bot scale-up --servers $(SERVERS) --actions $(ACTIONS)

scale-down: install
	$(PY) -m bot scale-down

# Up, the checks (1 vs. SERVERS Rasa servers, a server killed mid-run), down; one JSON line.
scale-proof: setup
	$(PY) -m bench.scale_proof --servers $(SERVERS) --actions $(ACTIONS)

# Re-resolve requirements/*.in into a fresh lock (needs the package registry).
lock:
	scripts/lock.sh

clean:
	rm -rf $(VENV) node_modules models var/results .rasa
