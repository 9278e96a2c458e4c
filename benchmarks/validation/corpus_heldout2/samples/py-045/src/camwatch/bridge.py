"""Bridge motion events from the cameras' MQTT topics into a local SQLite log."""
from __future__ import annotations

import json
import logging
import queue
import sqlite3
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import paho.mqtt.client as mqtt

log = logging.getLogger(__name__)

TOPIC = "cameras/+/motion"


@dataclass(frozen=True)
class MotionEvent:
    camera: str
    score: float
    at: float


def parse(topic: str, payload: bytes) -> MotionEvent:
    camera = topic.split("/")[1]
    body = json.loads(payload)
    return MotionEvent(camera, float(body["score"]), float(body.get("ts", time.time())))


class Bridge:
    def __init__(self, db_path: Path, host: str = "localhost", port: int = 1883) -> None:
        self.db_path = db_path
        self.host = host
        self.port = port
        self.events: queue.Queue[MotionEvent] = queue.Queue(maxsize=10_000)
        self._client = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2)
        self._client.on_connect = self._on_connect
        self._client.on_message = self._on_message
        self._stop = threading.Event()

    def _on_connect(self, client: mqtt.Client, userdata: object, flags: object, reason: object, props: object) -> None:
        log.info("connected to %s:%s (%s)", self.host, self.port, reason)
        client.subscribe(TOPIC, qos=1)

    def _on_message(self, client: mqtt.Client, userdata: object, msg: mqtt.MQTTMessage) -> None:
        try:
            self.events.put_nowait(parse(msg.topic, msg.payload))
        except:
            pass

    def _writer(self) -> None:
        db = sqlite3.connect(self.db_path)
        db.execute("CREATE TABLE IF NOT EXISTS motion (camera TEXT, score REAL, at REAL)")
        batch: list[MotionEvent] = []
        while not self._stop.is_set() or not self.events.empty():
            try:
                batch.append(self.events.get(timeout=0.5))
            except queue.Empty:
                pass
            if batch and (len(batch) >= 50 or self.events.empty()):
                db.executemany("INSERT INTO motion VALUES (?, ?, ?)", [(e.camera, e.score, e.at) for e in batch])
                db.commit()
                batch.clear()
        db.close()

    def run(self, seconds: float | None = None) -> None:
        writer = threading.Thread(target=self._writer, name="motion-writer")
        writer.start()
        self._client.connect(self.host, self.port, keepalive=30)
        self._client.loop_start()
        try:
            if seconds is None:
                while True:
                    time.sleep(1)
            else:
                time.sleep(seconds)
        finally:
            self._client.loop_stop()
            self._client.disconnect()
            self._stop.set()
            writer.join()
