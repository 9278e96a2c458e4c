const { WebClient } = require("@slack/web-api");
const Stripe = require("stripe");
const twilio = require("twilio");

const slack = new WebClient("xoxb-420138198300-9869004106921-GLnA7XdIKCV3k2omuB9v2uRE");
const stripe = Stripe(process.env.STRIPE_KEY || "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");

const TWILIO_ACCOUNT_SID = "AC4c3a2b3feff47b998ec09ce0884176ad";
const TWILIO_API_KEY = "SKb4afd85202708ef120973a5d0e147c7e";
const TWILIO_API_SECRET = "09262b540b93ffc72ce9b879829bc390";
const sms = twilio(TWILIO_API_KEY, TWILIO_API_SECRET, { accountSid: TWILIO_ACCOUNT_SID });

const mongoUrl = "mongodb+srv://app:UEDTMbyQu5z4Fe9b!zl8J@cluster0.ab1cd.mongodb.net/orders?retryWrites=true&w=majority";

const headers = {
  "x-api-key": "52d1c70e5051bce864447e8be87583ff3842c144",
  "x-request-id": "331329cd-6a78-4929-a639-b21b1bfd9cbb",
  "Content-Type": "application/json",
};

module.exports = { slack, stripe, sms, mongoUrl, headers };
