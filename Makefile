.PHONY: demo test bench bench-training bench-dashboards bench-reports bench-duplicates bench-intake screenshots bench-assist
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

bench-duplicates:  ## near-duplicates: OHCHR's clusters (precision, recall), 20,000 recommendations timed
	bash scripts/python-env.sh && .venv/bin/python bench/duplicates.py --json bench/output/duplicates.json

bench-assist:  ## tag suggestions: F1 against the TF-IDF baseline, throughput, memory (5,000 recommendations)
	bash scripts/python-env.sh && .venv/bin/python bench/assist.py

bench-intake:  ## intake of UN documents: field accuracy on rebuilt PDF, DOCX and text documents
	bash scripts/python-env.sh && .venv/bin/python bench/intake_accuracy.py

screenshots:  ## the user guide's screenshots, from a fresh demo
	bash scripts/python-env.sh && .venv/bin/python docs/screenshots.py
