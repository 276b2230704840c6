"""The official `openai` Python client's fine-tuning calls against Kindling, unchanged but for base_url.

Run by e2e/fine-tuning-api.spec.ts where Python and the `openai` package are present:
    KINDLING_BASE_URL=http://127.0.0.1:3210/v1 KINDLING_API_KEY=kdl_... KINDLING_TRAINING_FILE=path.jsonl \
    python3 e2e/python_fine_tuning_check.py
Uploads a file, creates a job and polls it to success, lists its events and checkpoints, cancels a
second job, and chats with the fine_tuned_model. Prints one JSON object with what it saw.
"""

import json
import os
import sys
import time

from openai import OpenAI

client = OpenAI(base_url=os.environ["KINDLING_BASE_URL"], api_key=os.environ["KINDLING_API_KEY"], max_retries=0)
report: dict = {}

with open(os.environ["KINDLING_TRAINING_FILE"], "rb") as f:
    uploaded = client.files.create(file=f, purpose="fine-tune")
assert uploaded.id.startswith("file-") and uploaded.purpose == "fine-tune" and uploaded.status == "processed", uploaded
assert client.files.retrieve(uploaded.id).filename == os.path.basename(os.environ["KINDLING_TRAINING_FILE"])
assert uploaded.id in [f.id for f in client.files.list().data]
report["file"] = uploaded.id

job = client.fine_tuning.jobs.create(
    model="kindling-starter",
    training_file=uploaded.id,
    suffix="python",
    seed=11,
    method={"type": "supervised", "supervised": {"hyperparameters": {"n_epochs": 1}}},
)
assert job.object == "fine_tuning.job" and job.status in ("queued", "validating_files", "running"), job.status
# A second job, queued behind the first (one trains at a time), cancelled.
second = client.fine_tuning.jobs.create(model="kindling-starter", training_file=uploaded.id, suffix="python-cancelled")
cancelled = client.fine_tuning.jobs.cancel(second.id)
assert cancelled.status in ("cancelled", "running"), cancelled.status

deadline = time.time() + 600
while True:
    job = client.fine_tuning.jobs.retrieve(job.id)
    if job.status in ("succeeded", "failed", "cancelled"):
        break
    assert time.time() < deadline, f"still {job.status} after 10 minutes"
    time.sleep(2)
assert job.status == "succeeded", (job.status, job.error)
assert job.fine_tuned_model and job.trained_tokens and job.trained_tokens > 0, job
report["job"] = {"id": job.id, "fine_tuned_model": job.fine_tuned_model, "trained_tokens": job.trained_tokens}

events = client.fine_tuning.jobs.list_events(job.id, limit=50).data
assert events and all(e.object == "fine_tuning.job.event" for e in events), events
report["events"] = len(events)
checkpoints = client.fine_tuning.jobs.checkpoints.list(job.id).data
assert checkpoints and all(c.object == "fine_tuning.job.checkpoint" and c.step_number > 0 for c in checkpoints), checkpoints
report["checkpoints"] = len(checkpoints)
assert job.id in [j.id for j in client.fine_tuning.jobs.list(limit=20).data]

second = client.fine_tuning.jobs.retrieve(second.id)
assert second.status == "cancelled", second.status
report["cancelled"] = second.id

answer = client.chat.completions.create(
    model=job.fine_tuned_model,
    messages=[{"role": "user", "content": "Extract the name, city and age as CSV: Maria is 34 and lives in Lisbon."}],
    max_tokens=24,
    temperature=0,
)
assert answer.choices[0].message.content, answer
report["answer"] = answer.choices[0].message.content

json.dump(report, sys.stdout)
print()
