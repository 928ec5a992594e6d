.PHONY: demo test bench bench-training bench-dashboards bench-reports screenshots
demo:  ## install everything, load the demo and serve it
	bash scripts/demo.sh
test:  ## install everything and run the whole test suite
	bash scripts/test.sh
bench:  ## benchmarks: import throughput and search latency
	bash scripts/python-env.sh && .venv/bin/python bench/run.py

bench-training:  ## training at scale: 1,000,000 participants, 5,000,000 attendance rows
	bash scripts/python-env.sh && .venv/bin/python bench/training.py
bench-dashboards:  ## training dashboard at 1,000,000 participants (after bench-training)
	bash scripts/python-env.sh && .venv/bin/python bench/dashboards.py

bench-reports:  ## the follow-up report: 500 recommendations, 200 sessions
	bash scripts/python-env.sh && .venv/bin/python bench/followup_report.py

screenshots:  ## the user guide's screenshots, from a fresh demo
	bash scripts/python-env.sh && .venv/bin/python docs/screenshots.py
