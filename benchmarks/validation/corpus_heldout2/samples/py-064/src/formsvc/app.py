from fastapi import FastAPI

from .schemas import ContactForm, QuoteRequest

app = FastAPI()
inbox: list[dict[str, object]] = []


@app.post("/contact", status_code=202)
def contact(form: ContactForm) -> dict[str, str]:
    inbox.append({"type": "contact", **form.model_dump()})
    return {"status": "received"}


@app.post("/quote", status_code=202)
def quote(req: QuoteRequest) -> dict[str, str]:
    inbox.append({"type": "quote", **req.model_dump(mode="json")})
    return {"status": "received"}
