"""The official `openai` Python client against Kindling's gateway, unchanged but for base_url.

Run by e2e/python-client.spec.ts where Python and the `openai` package are present:
    KINDLING_BASE_URL=http://127.0.0.1:3210/v1 KINDLING_API_KEY=kdl_... \
    KINDLING_RESTRICTED_KEY=kdl_... KINDLING_LIMITED_KEY=kdl_... python3 e2e/python_client_check.py
Each check asserts; on success it prints one JSON object with what the client counted, so the spec
can compare it with the usage rows the console wrote.
"""

import json
import os
import sys

import openai
from openai import OpenAI

BASE_URL = os.environ["KINDLING_BASE_URL"]
key = os.environ["KINDLING_API_KEY"]
client = OpenAI(base_url=BASE_URL, api_key=key, max_retries=0)
report: dict = {"openai_version": openai.__version__}


def error_of(call) -> openai.APIStatusError:
    try:
        call()
    except openai.APIStatusError as error:
        return error
    raise AssertionError("the call succeeded; an error status was expected")


def ask(c: OpenAI, model: str, **extra):
    return c.chat.completions.create(model=model, messages=[{"role": "user", "content": "hi"}], max_tokens=4, **extra)


# Models
ids = [m.id for m in client.models.list().data]
assert {"tiny-a", "tiny-b", "kindling-starter"} <= set(ids), ids
report["models"] = len(ids)

# A plain chat, with usage
plain = client.chat.completions.create(
    model="tiny-a", messages=[{"role": "user", "content": "Hello from Python"}], max_tokens=12, seed=7, stop=["\n\n"]
)
assert plain.object == "chat.completion", plain.object
assert plain.choices[0].message.role == "assistant"
assert plain.usage and plain.usage.completion_tokens > 0, plain.usage
report["plain"] = {"id": plain.id, "prompt_tokens": plain.usage.prompt_tokens, "completion_tokens": plain.usage.completion_tokens}

# A streamed chat, with the usage chunk
stream = client.chat.completions.create(
    model="tiny-a",
    messages=[{"role": "user", "content": "Stream from Python"}],
    max_tokens=16,
    stream=True,
    stream_options={"include_usage": True},
)
text, usage, finish, stream_id = "", None, None, None
for chunk in stream:
    stream_id = chunk.id
    if chunk.choices:
        text += chunk.choices[0].delta.content or ""
        finish = chunk.choices[0].finish_reason or finish
    if chunk.usage:
        usage = chunk.usage
assert text, "the stream carried no text"
assert finish in ("stop", "length"), finish
assert usage and usage.total_tokens == usage.prompt_tokens + usage.completion_tokens, usage
report["stream"] = {"id": stream_id, "prompt_tokens": usage.prompt_tokens, "completion_tokens": usage.completion_tokens}

# json_schema with integer bounds and a string length: the answer parses and keeps them
schema = {
    "type": "object",
    "properties": {"count": {"type": "integer", "minimum": 0, "maximum": 99}, "label": {"type": "string", "maxLength": 8}},
    "required": ["count", "label"],
    "additionalProperties": False,
}
structured = client.chat.completions.create(
    model="kindling-starter",
    messages=[{"role": "user", "content": "Count something."}],
    max_tokens=200,
    response_format={"type": "json_schema", "json_schema": {"name": "counted", "schema": schema, "strict": True}},
)
if structured.choices[0].finish_reason != "length":
    value = json.loads(structured.choices[0].message.content)
    assert set(value) == {"count", "label"}, value
    assert isinstance(value["count"], int) and not isinstance(value["count"], bool) and 0 <= value["count"] <= 99, value
    assert isinstance(value["label"], str) and len(value["label"]) <= 8, value
    report["json_schema"] = value
else:
    report["json_schema"] = "length"

# A forced tool call
tools = [{"type": "function", "function": {"name": "get_weather", "parameters": {"type": "object", "properties": {"city": {"type": "string", "maxLength": 12}}, "required": ["city"]}}}]
called = client.chat.completions.create(
    model="tiny-b",
    messages=[{"role": "user", "content": "Weather in Paris?"}],
    max_tokens=240,
    tools=tools,
    tool_choice={"type": "function", "function": {"name": "get_weather"}},
)
assert called.choices[0].finish_reason == "tool_calls", called.choices[0].finish_reason
call = called.choices[0].message.tool_calls[0]
assert call.type == "function" and call.function.name == "get_weather", call
assert isinstance(json.loads(call.function.arguments)["city"], str), call.function.arguments

# Each error status, as the Python client's exception classes
statuses = {}
bad = error_of(lambda: ask(client, "tiny-a", temperature=5))
assert isinstance(bad, openai.BadRequestError) and bad.body and bad.body.get("param") == "temperature", bad.body
statuses["400"] = bad.body["param"]
unauthorised = error_of(lambda: ask(OpenAI(base_url=BASE_URL, api_key="kdl_" + "x" * 43, max_retries=0), "tiny-a"))
assert isinstance(unauthorised, openai.AuthenticationError), type(unauthorised)
statuses["401"] = unauthorised.code
restricted = OpenAI(base_url=BASE_URL, api_key=os.environ["KINDLING_RESTRICTED_KEY"], max_retries=0)
forbidden = error_of(lambda: ask(restricted, "tiny-a"))
assert isinstance(forbidden, openai.PermissionDeniedError), type(forbidden)
statuses["403"] = forbidden.code
missing = error_of(lambda: ask(client, "no-such-model"))
assert isinstance(missing, openai.NotFoundError) and missing.code == "model_not_found", missing.code
statuses["404"] = missing.code
limited = OpenAI(base_url=BASE_URL, api_key=os.environ["KINDLING_LIMITED_KEY"], max_retries=0)
ask(limited, "tiny-a")
too_many = error_of(lambda: ask(limited, "tiny-a"))
assert isinstance(too_many, openai.RateLimitError), type(too_many)
assert int(too_many.response.headers["retry-after"]) > 0, too_many.response.headers
statuses["429"] = too_many.response.headers["retry-after"]
upstream = error_of(lambda: ask(client, "stub-remote/flaky"))
assert upstream.status_code == 502 and "LEAKED" not in json.dumps(upstream.body), (upstream.status_code, upstream.body)
statuses["502"] = upstream.code
timed_out = error_of(lambda: ask(client, "stub-remote/silent"))
assert timed_out.status_code == 504, timed_out.status_code
statuses["504"] = timed_out.code
report["errors"] = statuses

json.dump(report, sys.stdout)
print()
