#!/usr/bin/env python3
"""KIMI's integration with Learning Viewer's HTTP API, written with plain `requests`.

    LEARNING_VIEWER_URL=http://127.0.0.1:8000 LEARNING_VIEWER_TOKEN=lv_ingest_... python3 kimi_client.py

KIMI posts every learning example (a 201 means it is stored durably), in
batches when it has several, retrying on 429 and 5xx with backoff, and reads
the statistics to decide what to work on next. Without LEARNING_VIEWER_TOKEN
it talks to a server started with `serve --no-auth` on a loopback address.
"""
import json
import os
import random
import sys
import time
import uuid
from datetime import datetime

import requests

BASE_URL = os.environ.get("LEARNING_VIEWER_URL", "http://127.0.0.1:8000")
TOKEN = os.environ.get("LEARNING_VIEWER_TOKEN")


class LearningViewer:
    def __init__(self, base_url=BASE_URL, token=TOKEN, retries=5):
        self.base_url = base_url.rstrip("/")
        self.session = requests.Session()
        if token:
            self.session.headers["Authorization"] = f"Bearer {token}"
        self.retries = retries

    def _request(self, method, path, **kwargs):
        """One request, retried on 429 (after Retry-After) and 5xx or a lost connection (with backoff)."""
        delay = 0.2
        for attempt in range(self.retries + 1):
            try:
                response = self.session.request(method, self.base_url + path, timeout=30, **kwargs)
            except requests.ConnectionError:
                if attempt == self.retries:
                    raise
                time.sleep(delay + random.random() * delay)
                delay *= 2
                continue
            if response.status_code == 429 and attempt < self.retries:
                time.sleep(float(response.headers.get("Retry-After", delay)))
                continue
            if response.status_code >= 500 and attempt < self.retries:
                time.sleep(delay + random.random() * delay)
                delay *= 2
                continue
            return response
        return response

    def log_example(self, example):
        """Posts one example; returns the stored record. A retry of the same example is safe (same id, same content)."""
        response = self._request("POST", "/api/examples", json=example)
        if response.status_code != 201:
            raise RuntimeError(f"example {example.get('id')} was not stored: {response.status_code} {response.text}")
        return response.json()

    def log_examples(self, examples, batch_size=500):
        """Posts examples in batches; returns the per-item results of every batch."""
        results = []
        for start in range(0, len(examples), batch_size):
            response = self._request("POST", "/api/examples/batch", json=examples[start:start + batch_size])
            if response.status_code not in (201, 207, 400):
                raise RuntimeError(f"batch at {start} failed: {response.status_code} {response.text}")
            results.extend(response.json()["results"])
        return results

    def stats(self, days=None):
        response = self._request("GET", "/api/stats", params={"days": days} if days else None)
        response.raise_for_status()
        return response.json()


def what_to_improve(stats):
    """KIMI's own decision, as it reads the statistics."""
    actions = []
    if stats["success_rate"] is not None and stats["success_rate"] < 0.7:
        actions.append("overall success rate is below 70%: review failures")
    for tag, category in stats["categories"].items():
        if category["success"] is not None and category["success"] < 0.6:
            actions.append(f"practise {tag}: success {category['success']:.0%} on {category['examples']} examples")
    return actions


def example(task, success, tags, model="Mistral 7B"):
    return {
        "id": str(uuid.uuid4()),
        "timestamp": datetime.now().isoformat(),
        "session_id": "kimi-client-demo",
        "task_description": task,
        "code_context": "def fix(): ...",
        "success": success,
        "metrics": {"tests_passed": 3 if success else 1, "execution_time": 1.5},
        "tags": tags,
        "model_used": model,
        "tokens_consumed": 420,
        "human_feedback": None,
    }


def main():
    viewer = LearningViewer()
    first = example("Fix the login redirect", True, ["bug_fixing", "auth"])
    stored = viewer.log_example(first)
    again = viewer.log_example(first)  # a retry: 201 again, the same record
    assert again == stored
    batch = [example(f"Bug fix {i}", i % 4 == 0, ["bug_fixing"]) for i in range(40)]
    batch += [example(f"Refactor {i}", True, ["refactor"]) for i in range(20)]
    results = viewer.log_examples(batch, batch_size=25)
    created = sum(1 for r in results if r["status"] == 201)
    stats = viewer.stats()
    print(json.dumps({
        "created": created,
        "total_examples": stats["total_examples"],
        "success_rate": stats["success_rate"],
        "bug_fixing_success": stats["categories"]["bug_fixing"]["success"],
        "actions": what_to_improve(stats),
    }))


if __name__ == "__main__":
    sys.exit(main())
