"""Telegram bot: /weather <lat> <lon>"""
from __future__ import annotations

import os

from telegram import Update
from telegram.ext import Application, CommandHandler, ContextTypes

from .forecast import BASE_URL, daily, describe, make_client


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


def main() -> None:
    app = Application.builder().token(os.environ["TELEGRAM_TOKEN"]).build()
    app.add_handler(CommandHandler("weather", weather))
    app.run_polling()
