"""Stripe webhook endpoint: keeps local subscriptions in step with Stripe."""
from __future__ import annotations

import logging

import stripe
from django.conf import settings
from django.db import transaction
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST
from django_stripe_helpers.events import EventRouter

from .models import Subscription

log = logging.getLogger(__name__)
router = EventRouter()


@router.on("customer.subscription.updated")
@router.on("customer.subscription.created")
def sync_subscription(event: stripe.Event) -> None:
    data = event.data.object
    with transaction.atomic():
        sub, created = Subscription.objects.select_for_update().get_or_create(
            stripe_id=data["id"],
            defaults={"customer_id": data["customer"], "status": data["status"]},
        )
        sub.status = data["status"]
        sub.current_period_end = data["current_period_end"]
        sub.cancel_at_period_end = data.get("cancel_at_period_end", False)
        sub.save()
    log.info("subscription %s %s: %s", sub.stripe_id, "created" if created else "updated", sub.status)


@router.on("customer.subscription.deleted")
def end_subscription(event: stripe.Event) -> None:
    Subscription.objects.filter(stripe_id=event.data.object["id"]).update(status="canceled")


@router.on("invoice.payment_failed")
def payment_failed(event: stripe.Event) -> None:
    invoice = event.data.object
    Subscription.objects.filter(customer_id=invoice["customer"]).update(status="past_due")


@router.on("checkout.session.completed")
def checkout_completed(event: stripe.Event) -> None:
    session = event.data.object
    if session.get("mode") != "subscription":
        return
    with transaction.atomic():
        sub, _ = Subscription.objects.select_for_update().get_or_create(
            stripe_id=session["subscription"],
            defaults={"customer_id": session["customer"], "status": "incomplete"},
        )
        sub.customer_id = session["customer"]
        sub.save(update_fields=["customer_id"])
    log.info("checkout completed for customer %s", session["customer"])


@router.on("invoice.paid")
def invoice_paid(event: stripe.Event) -> None:
    invoice = event.data.object
    updated = Subscription.objects.filter(stripe_id=invoice.get("subscription")).update(status="active")
    if not updated:
        log.warning("invoice %s paid for unknown subscription %s", invoice["id"], invoice.get("subscription"))


def customer_portal_url(customer_id: str, return_url: str) -> str:
    stripe.api_key = settings.STRIPE_SECRET_KEY
    portal = stripe.billing_portal.Session.create(customer=customer_id, return_url=return_url)
    return portal.url


@csrf_exempt
@require_POST
def stripe_webhook(request: HttpRequest) -> HttpResponse:
    signature = request.headers.get("Stripe-Signature", "")
    try:
        event = stripe.Webhook.construct_event(request.body, signature, settings.STRIPE_WEBHOOK_SECRET)
    except ValueError:
        return HttpResponseBadRequest("invalid payload")
    except stripe.SignatureVerificationError:
        return HttpResponseBadRequest("invalid signature")
    handled = router.dispatch(event)
    if not handled:
        log.debug("ignored stripe event %s", event.type)
    return HttpResponse(status=200)
