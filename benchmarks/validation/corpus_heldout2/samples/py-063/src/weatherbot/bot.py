"""Telegram bot: /weather <lat> <lon>"""
from __future__ import annotations

import os

from telegram import Update
from telegram.ext import Application, CommandHandler, ContextTypes

from .forecast import BASE_URL, ClientSettings, Day, daily, describe, make_client

SAVED: dict[int, tuple[float, float]] = {}


def parse_coords(args: list[str]) -> tuple[float, float]:
    if len(args) != 2:
        raise ValueError("give latitude and longitude")
    lat, lon = float(args[0]), float(args[1])
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        raise ValueError("coordinates out of range")
    return lat, lon


def umbrella_advice(days: list[Day]) -> str:
    wet = [d for d in days if d.rain_mm >= 1.0]
    if not wet:
        return "No rain expected. Leave the umbrella at home."
    first = wet[0]
    return f"Rain expected on {first.date:%A} ({first.rain_mm:.1f} mm). Take an umbrella."


async def weather(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    if len(context.args) != 2:
        await update.message.reply_text("usage: /weather <lat> <lon>")
        return
    try:
        lat, lon = (float(a) for a in context.args)
    except ValueError:
        await update.message.reply_text("latitude and longitude must be numbers")
        return
    async with make_client(BASE_URL, 8.0) as client:
        days = await daily(client, lat, lon)
    await update.message.reply_text("\n".join(describe(d) for d in days))


async def save_location(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    try:
        SAVED[update.effective_chat.id] = parse_coords(context.args)
    except ValueError as exc:
        await update.message.reply_text(f"usage: /home <lat> <lon> ({exc})")
        return
    await update.message.reply_text("Saved. Use /umbrella any time.")


async def umbrella(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    coords = SAVED.get(update.effective_chat.id)
    if coords is None:
        await update.message.reply_text("Set your location first with /home <lat> <lon>.")
        return
    async with make_client(ClientSettings()) as client:
        days = await daily(client, *coords, days=2)
    await update.message.reply_text(umbrella_advice(days))


def main() -> None:
    app = Application.builder().token(os.environ["TELEGRAM_TOKEN"]).build()
    app.add_handler(CommandHandler("weather", weather))
    app.add_handler(CommandHandler("home", save_location))
    app.add_handler(CommandHandler("umbrella", umbrella))
    app.run_polling()
