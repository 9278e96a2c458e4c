"""A scripted model server for the tests: speaks Anthropic Messages and OpenAI chat completions.

The real SDKs are pointed at it through their ``base_url``. Each request consumes the next
step of the script and renders it in the protocol the request arrived in, streamed as
server-sent events when the client asked for a stream. Steps can also answer with an HTTP
error (429, 529, 5xx, with ``retry-after``) or stall half-way through a stream so the tests can
cancel a request in flight.

Usage::

    with ModelServer([Reply(tool_calls=[ToolUse("read_file", {"path": "a.py"})]),
                      Reply(text="done")]) as server:
        client = anthropic.AsyncAnthropic(base_url=server.base_url, api_key="test")
        openai.AsyncOpenAI(base_url=server.openai_base_url, api_key="test")
"""

from __future__ import annotations

import itertools
import json
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass
class ToolUse:
    """A tool call the scripted model makes."""

    name: str
    arguments: dict[str, Any]
    id: str | None = None


@dataclass
class Reply:
    """One assistant message: text, tool calls, and the usage the server reports for it."""

    text: str = ""
    tool_calls: list[ToolUse] = field(default_factory=list)
    input_tokens: int = 100
    output_tokens: int = 20
    cache_read_tokens: int = 0
    #: seconds to wait between streamed chunks (to make streaming observable)
    chunk_delay: float = 0.0


@dataclass
class HttpError:
    """Answer the request with an HTTP error in the provider's error format."""

    status: int
    error_type: str = "rate_limit_error"
    message: str = "slow down"
    retry_after: float | None = None


@dataclass
class MidStreamError:
    """Start a stream, then send an error event (Anthropic's ``overloaded_error`` mid-stream)."""

    error_type: str = "overloaded_error"
    message: str = "Overloaded"
    text_before: str = "Working"


@dataclass
class Stall:
    """Stream ``text_before`` and then keep the connection open without finishing."""

    text_before: str = "Thinking"
    max_seconds: float = 30.0


Step = Reply | HttpError | MidStreamError | Stall | Callable[[dict[str, Any]], Reply]


@dataclass
class RecordedRequest:
    path: str
    headers: dict[str, str]
    body: dict[str, Any]

    @property
    def protocol(self) -> str:
        return "openai" if self.path.endswith("/chat/completions") else "anthropic"

    def tool_results(self) -> list[str]:
        """The text of every tool result the client sent in this request, oldest first."""
        out: list[str] = []
        for message in self.body.get("messages", []):
            if self.protocol == "openai":
                if message.get("role") == "tool":
                    out.append(_text_of(message.get("content")))
                continue
            content = message.get("content")
            if isinstance(content, list):
                for block in content:
                    if block.get("type") == "tool_result":
                        out.append(_text_of(block.get("content")))
        return out

    def last_user_text(self) -> str:
        """The text of the last user turn (tool results included)."""
        messages = self.body.get("messages", [])
        for message in reversed(messages):
            if message.get("role") in ("user", "tool"):
                content = message.get("content")
                if isinstance(content, list):
                    return "\n".join(
                        _text_of(b.get("content"))
                        if b.get("type") == "tool_result"
                        else str(b.get("text", ""))
                        for b in content
                    )
                return _text_of(content)
        return ""


def _text_of(content: Any) -> str:
    if isinstance(content, str):
        return content
    if isinstance(content, list):
        return "\n".join(str(part.get("text", "")) for part in content if isinstance(part, dict))
    return ""


class ModelServer:
    """An HTTP server on a free loopback port that replays a script of model turns."""

    def __init__(
        self,
        script: Iterable[Step] = (),
        models: Iterable[str] = ("scripted-model",),
        api_key: str | None = None,
    ) -> None:
        self.script: list[Step] = list(script)
        #: what ``GET /v1/models`` lists
        self.models = list(models)
        #: when set, ``GET /v1/models`` answers 401 to any other key
        self.api_key = api_key
        self.requests: list[RecordedRequest] = []
        self.disconnected = threading.Event()
        self.stall_started = threading.Event()
        self._lock = threading.Lock()
        self._ids = itertools.count(1)
        self._closing = threading.Event()
        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), _handler_for(self))
        self._httpd.daemon_threads = True
        self._thread = threading.Thread(target=self._httpd.serve_forever, daemon=True)

    @property
    def port(self) -> int:
        return int(self._httpd.server_address[1])

    @property
    def base_url(self) -> str:
        """Base URL for the Anthropic SDK (it appends ``/v1/messages``)."""
        return f"http://127.0.0.1:{self.port}"

    @property
    def openai_base_url(self) -> str:
        """Base URL for the OpenAI SDK (it appends ``/chat/completions``)."""
        return f"http://127.0.0.1:{self.port}/v1"

    @property
    def remaining(self) -> int:
        with self._lock:
            return len(self.script)

    def add(self, *steps: Step) -> None:
        with self._lock:
            self.script.extend(steps)

    def start(self) -> ModelServer:
        self._thread.start()
        return self

    def close(self) -> None:
        self._closing.set()
        self._httpd.shutdown()
        self._httpd.server_close()

    def __enter__(self) -> ModelServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.close()

    def next_step(self, request: RecordedRequest) -> Step | None:
        with self._lock:
            self.requests.append(request)
            return self.script.pop(0) if self.script else None

    def new_id(self, prefix: str) -> str:
        return f"{prefix}_{next(self._ids):04d}"


def _handler_for(server: ModelServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: Any) -> None:
            return None

        def do_GET(self) -> None:
            if not self.path.split("?")[0].endswith("/v1/models"):
                self._json(404, {"error": {"type": "not_found_error", "message": self.path}})
                return
            bearer = self.headers.get("authorization", "").removeprefix("Bearer ")
            sent = self.headers.get("x-api-key") or bearer
            if server.api_key is not None and sent != server.api_key:
                # Both wire formats at once: each SDK reads the fields it knows.
                error = {"type": "authentication_error", "message": "invalid x-api-key"}
                self._json(401, {"type": "error", "error": error})
                return
            data = [
                {"id": name, "type": "model", "object": "model", "created": 0, "owned_by": "test"}
                for name in server.models
            ]
            self._json(
                200,
                {
                    "object": "list",
                    "data": data,
                    "has_more": False,
                    "first_id": data[0]["id"] if data else None,
                    "last_id": data[-1]["id"] if data else None,
                },
            )

        def do_POST(self) -> None:
            length = int(self.headers.get("content-length", "0"))
            raw = self.rfile.read(length) if length else b"{}"
            request = RecordedRequest(
                path=self.path,
                headers={k.lower(): v for k, v in self.headers.items()},
                body=json.loads(raw or b"{}"),
            )
            if not (self.path.endswith("/v1/messages") or self.path.endswith("/chat/completions")):
                self._json(404, {"error": {"type": "not_found_error", "message": self.path}})
                return
            step = server.next_step(request)
            if step is None:
                self._error(
                    request, 500, "api_error", "model server script exhausted", None, retry=False
                )
                return
            if callable(step) and not isinstance(step, Reply):
                step = step(request.body)
            if isinstance(step, HttpError):
                self._error(request, step.status, step.error_type, step.message, step.retry_after)
                return
            stream = bool(request.body.get("stream"))
            if isinstance(step, Reply):
                if not stream:
                    self._json(200, self._full_body(request, step))
                elif request.protocol == "openai":
                    self._sse(self._openai_chunks(request, step), step.chunk_delay)
                else:
                    self._sse(self._anthropic_events(request, step), step.chunk_delay)
                return
            if isinstance(step, MidStreamError):
                start = self._anthropic_events(request, Reply(text=step.text_before))[:3]
                error = (
                    "error",
                    {"type": "error", "error": {"type": step.error_type, "message": step.message}},
                )
                self._sse([*start, error], 0.0)
                return
            self._stall(request, step)

        # --- rendering -------------------------------------------------------------------

        def _error(
            self,
            request: RecordedRequest,
            status: int,
            error_type: str,
            message: str,
            retry_after: float | None,
            retry: bool | None = None,
        ) -> None:
            headers: dict[str, str] = {}
            if retry_after is not None:
                headers["retry-after"] = f"{retry_after:g}"
            if retry is not None:
                headers["x-should-retry"] = "true" if retry else "false"
            if request.protocol == "openai":
                body: dict[str, Any] = {
                    "error": {"message": message, "type": error_type, "code": error_type}
                }
            else:
                body = {"type": "error", "error": {"type": error_type, "message": message}}
            self._json(status, body, headers)

        def _json(self, status: int, body: Any, headers: dict[str, str] | None = None) -> None:
            data = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("content-type", "application/json")
            self.send_header("content-length", str(len(data)))
            for key, value in (headers or {}).items():
                self.send_header(key, value)
            self.end_headers()
            self.wfile.write(data)

        def _start_sse(self) -> None:
            self.send_response(200)
            self.send_header("content-type", "text/event-stream")
            self.send_header("cache-control", "no-cache")
            self.send_header("connection", "close")
            self.end_headers()
            self.close_connection = True

        def _sse(self, events: list[tuple[str | None, Any]], delay: float) -> None:
            self._start_sse()
            try:
                for name, data in events:
                    self._write_event(name, data)
                    if delay:
                        time.sleep(delay)
            except (BrokenPipeError, ConnectionResetError):
                server.disconnected.set()

        def _write_event(self, name: str | None, data: Any) -> None:
            payload = data if isinstance(data, str) else json.dumps(data)
            prefix = f"event: {name}\n" if name else ""
            self.wfile.write(f"{prefix}data: {payload}\n\n".encode())
            self.wfile.flush()

        def _stall(self, request: RecordedRequest, step: Stall) -> None:
            if request.protocol == "openai":
                events = self._openai_chunks(request, Reply(text=step.text_before))[:1]
            else:
                events = self._anthropic_events(request, Reply(text=step.text_before))[:3]
            self._start_sse()
            try:
                for name, data in events:
                    self._write_event(name, data)
                server.stall_started.set()
                deadline = time.monotonic() + step.max_seconds
                # SSE comments keep writing so a closed client connection shows up as an error.
                while time.monotonic() < deadline and not server._closing.is_set():
                    time.sleep(0.05)
                    self.wfile.write(b": still thinking\n\n")
                    self.wfile.flush()
            except (BrokenPipeError, ConnectionResetError):
                server.disconnected.set()

        def _full_body(self, request: RecordedRequest, reply: Reply) -> dict[str, Any]:
            if request.protocol == "openai":
                chunks = self._openai_chunks(request, reply)
                message: dict[str, Any] = {"role": "assistant", "content": reply.text or None}
                if reply.tool_calls:
                    message["tool_calls"] = [
                        {
                            "id": call.id or f"call_{i}",
                            "type": "function",
                            "function": {
                                "name": call.name,
                                "arguments": json.dumps(call.arguments),
                            },
                        }
                        for i, call in enumerate(reply.tool_calls)
                    ]
                return {
                    "id": server.new_id("chatcmpl"),
                    "object": "chat.completion",
                    "created": int(time.time()),
                    "model": request.body.get("model", "scripted"),
                    "choices": [
                        {
                            "index": 0,
                            "message": message,
                            "finish_reason": "tool_calls" if reply.tool_calls else "stop",
                        }
                    ],
                    "usage": chunks[-2][1]["usage"],
                }
            content: list[dict[str, Any]] = []
            if reply.text:
                content.append({"type": "text", "text": reply.text})
            for i, call in enumerate(reply.tool_calls):
                content.append(
                    {
                        "type": "tool_use",
                        "id": call.id or f"toolu_{i}",
                        "name": call.name,
                        "input": call.arguments,
                    }
                )
            return {
                "id": server.new_id("msg"),
                "type": "message",
                "role": "assistant",
                "model": request.body.get("model", "scripted"),
                "content": content,
                "stop_reason": "tool_use" if reply.tool_calls else "end_turn",
                "stop_sequence": None,
                "usage": {
                    "input_tokens": reply.input_tokens,
                    "output_tokens": reply.output_tokens,
                    "cache_read_input_tokens": reply.cache_read_tokens,
                    "cache_creation_input_tokens": 0,
                },
            }

        def _anthropic_events(
            self, request: RecordedRequest, reply: Reply
        ) -> list[tuple[str | None, Any]]:
            events: list[tuple[str | None, Any]] = [
                (
                    "message_start",
                    {
                        "type": "message_start",
                        "message": {
                            "id": server.new_id("msg"),
                            "type": "message",
                            "role": "assistant",
                            "model": request.body.get("model", "scripted"),
                            "content": [],
                            "stop_reason": None,
                            "stop_sequence": None,
                            "usage": {
                                "input_tokens": reply.input_tokens,
                                "output_tokens": 1,
                                "cache_read_input_tokens": reply.cache_read_tokens,
                                "cache_creation_input_tokens": 0,
                            },
                        },
                    },
                ),
            ]
            index = 0
            if reply.text:
                events.append(
                    (
                        "content_block_start",
                        {
                            "type": "content_block_start",
                            "index": index,
                            "content_block": {"type": "text", "text": ""},
                        },
                    )
                )
                for piece in _pieces(reply.text):
                    events.append(
                        (
                            "content_block_delta",
                            {
                                "type": "content_block_delta",
                                "index": index,
                                "delta": {"type": "text_delta", "text": piece},
                            },
                        )
                    )
                events.append(
                    ("content_block_stop", {"type": "content_block_stop", "index": index})
                )
                index += 1
            for call in reply.tool_calls:
                call_id = call.id or server.new_id("toolu")
                events.append(
                    (
                        "content_block_start",
                        {
                            "type": "content_block_start",
                            "index": index,
                            "content_block": {
                                "type": "tool_use",
                                "id": call_id,
                                "name": call.name,
                                "input": {},
                            },
                        },
                    )
                )
                for piece in _pieces(json.dumps(call.arguments)):
                    events.append(
                        (
                            "content_block_delta",
                            {
                                "type": "content_block_delta",
                                "index": index,
                                "delta": {"type": "input_json_delta", "partial_json": piece},
                            },
                        )
                    )
                events.append(
                    ("content_block_stop", {"type": "content_block_stop", "index": index})
                )
                index += 1
            events.append(
                (
                    "message_delta",
                    {
                        "type": "message_delta",
                        "delta": {
                            "stop_reason": "tool_use" if reply.tool_calls else "end_turn",
                            "stop_sequence": None,
                        },
                        "usage": {"output_tokens": reply.output_tokens},
                    },
                )
            )
            events.append(("message_stop", {"type": "message_stop"}))
            return events

        def _openai_chunks(
            self, request: RecordedRequest, reply: Reply
        ) -> list[tuple[str | None, Any]]:
            chunk_id = server.new_id("chatcmpl")
            model = request.body.get("model", "scripted")

            def chunk(delta: dict[str, Any], finish: str | None = None) -> dict[str, Any]:
                return {
                    "id": chunk_id,
                    "object": "chat.completion.chunk",
                    "created": int(time.time()),
                    "model": model,
                    "choices": [{"index": 0, "delta": delta, "finish_reason": finish}],
                }

            chunks: list[tuple[str | None, Any]] = []
            first = True
            for piece in _pieces(reply.text) if reply.text else []:
                delta: dict[str, Any] = {"content": piece}
                if first:
                    delta["role"] = "assistant"
                    first = False
                chunks.append((None, chunk(delta)))
            for i, call in enumerate(reply.tool_calls):
                call_id = call.id or server.new_id("call")
                arguments = json.dumps(call.arguments)
                head = {
                    "index": i,
                    "id": call_id,
                    "type": "function",
                    "function": {"name": call.name, "arguments": ""},
                }
                chunks.append((None, chunk({"tool_calls": [head]})))
                for piece in _pieces(arguments):
                    chunks.append(
                        (
                            None,
                            chunk({"tool_calls": [{"index": i, "function": {"arguments": piece}}]}),
                        )
                    )
            chunks.append((None, chunk({}, "tool_calls" if reply.tool_calls else "stop")))
            usage = {
                "prompt_tokens": reply.input_tokens,
                "completion_tokens": reply.output_tokens,
                "total_tokens": reply.input_tokens + reply.output_tokens,
            }
            if reply.cache_read_tokens:
                usage["prompt_tokens_details"] = {"cached_tokens": reply.cache_read_tokens}
            chunks.append(
                (
                    None,
                    {
                        "id": chunk_id,
                        "object": "chat.completion.chunk",
                        "created": int(time.time()),
                        "model": model,
                        "choices": [],
                        "usage": usage,
                    },
                )
            )
            chunks.append((None, "[DONE]"))
            return chunks

    return Handler


def _pieces(text: str, size: int = 12) -> list[str]:
    """Split text in small chunks so streams have several deltas."""
    return [text[i : i + size] for i in range(0, len(text), size)] or [""]
