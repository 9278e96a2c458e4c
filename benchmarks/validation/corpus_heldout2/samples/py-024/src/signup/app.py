from flask import Flask, jsonify, request

from .forms import validate_registration

app = Flask(__name__)


@app.post("/register")
def register():
    reg, errors = validate_registration(request.form.to_dict())
    if errors:
        return jsonify({"errors": errors.fields}), 422
    return jsonify({"username": reg.username}), 201
