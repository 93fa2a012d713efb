# The two commands a newcomer needs: `make run` and `make test`. Both set up what is missing.
PY := .venv/bin/python
RASA := .venv/bin/rasa
export TF_CPP_MIN_LOG_LEVEL := 3
export PYTHONWARNINGS := ignore

.PHONY: run test lint shell setup browser data model evaluate-nlu import-csv seed-demo constraints clean \
	bench bench-nlu bench-load bench-scale bench-train bench-profile bench-pipelines

run: setup data
	@$(PY) -m ops.run

test: lint data browser
	@$(PY) -m pytest $(PYTEST_ARGS)

# Lint and import order (ruff) and types (mypy on bot/, actions/, channels/, ops/): pyproject.toml.
lint: setup
	@.venv/bin/ruff check .
	@.venv/bin/mypy

# Chat in the terminal; the actions run on the action server started by `make run`.
shell: setup data
	@curl -sf http://localhost:5055/health >/dev/null || { echo "Start the assistant first with 'make run' (in another terminal)."; exit 1; }
	@$(RASA) shell --model $$($(PY) -m ops.model_cache) --endpoints endpoints.yml

setup:
	@bash scripts/setup.sh
	@bash scripts/setup_web.sh

# Chromium for the browser test of the chat widget (skipped with the reason if it cannot be had).
browser:
	@bash scripts/setup_browser.sh

# The in-repo spaCy pipeline and the FAQ training data, rebuilt when their sources change;
# the demo shop if there is no shop.
data: build/spacy_shop_en/meta.json data/generated/faq.yml data/generated/form_rules.yml
	@$(PY) -m bot ensure-demo

# FAQ answers are filled from the shop profile, so a profile change regenerates them.
data/generated/faq.yml: shop/faq.yml shop/profile.yml bot/profile/faq.py bot/profile/shop_profile.py
	@$(PY) -m bot build-faq

data/generated/form_rules.yml: ops/form_rules.py
	@$(PY) -m ops.form_rules

build/spacy_shop_en/meta.json: bot/text/nlp_pipeline.py
	@$(PY) -m bot build-nlp

model: setup data
	@$(PY) -m ops.model_cache

# Understanding on the held-out file: reports/nlu/report.json and confusion_matrix.png.
evaluate-nlu: setup data
	@$(PY) -m ops.evaluate_nlu

# Benchmarks (docs/benchmarks.md): each writes reports/bench/<name>.json and prints a table.
# Options go in BENCH_ARGS, e.g. make bench-load BENCH_ARGS="--concurrency 1,10 --duration 10".
bench-nlu: setup data model
	@$(PY) -m bench nlu $(BENCH_ARGS)

bench-load: setup data model
	@$(PY) -m bench load $(BENCH_ARGS)

bench-scale: setup data model
	@$(PY) -m bench scale $(BENCH_ARGS)

bench-train: setup data model
	@$(PY) -m bench train $(BENCH_ARGS)

bench-profile: setup data model
	@$(PY) -m bench profile $(BENCH_ARGS)

bench-pipelines: setup data model
	@$(PY) -m bench pipelines $(BENCH_ARGS)

bench: bench-nlu bench-train bench-load bench-scale

seed-demo: setup
	@$(PY) -m bot seed-demo $(if $(ORDERS),--orders $(ORDERS)) $(if $(SEED),--seed $(SEED))

import-csv: setup
	@test -n "$(DIR)" || { echo "usage: make import-csv DIR=path/to/csv-folder [REPLACE=1]"; exit 2; }
	@$(PY) -m bot import-csv "$(DIR)" $(if $(REPLACE),--replace)

# Regenerate constraints.txt after changing dependencies in pyproject.toml.
constraints: setup
	@{ head -n 2 constraints.txt; .venv/bin/pip freeze --exclude-editable | grep -v -i '^shop-support-bot'; } > constraints.new && mv constraints.new constraints.txt

clean:
	rm -rf build models var results reports .pytest_cache web/node_modules
