from flask import Flask, abort, jsonify, redirect, request

from .codes import InvalidUrl, LinkStore

app = Flask(__name__)
store = LinkStore("links.db")


@app.post("/api/links")
def create():
    body = request.get_json(silent=True) or {}
    try:
        code = store.shorten(str(body.get("url", "")), body.get("code"))
    except (InvalidUrl, ValueError) as exc:
        return jsonify({"error": str(exc)}), 400
    return jsonify({"code": code}), 201


@app.get("/<code>")
def follow(code: str):
    url = store.resolve(code)
    if url is None:
        abort(404)
    return redirect(url, code=302)
