"""Elided code, fake implementations and test doubles in JavaScript, TypeScript and Go."""

from __future__ import annotations

from pathlib import Path

from claude_tui.validation import Severity, validate_path

SHAPES = {"placeholder.elided-code", "placeholder.fake-implementation", "placeholder.test-double"}

ROUTES_JS = """\
const express = require('express');
const { listUsers, getUser } = require('./users');

function buildRouter() {
  const router = express.Router();
  router.get('/users', listUsers);
  router.get('/users/:id', getUser);
  // ... other routes
  return router;
}

function dispatch(command, args) {
  switch (command) {
    case 'init':
      return init(args);
    case 'build':
      return build(args);
    // handle the other commands the same way
  }
}

const handlers = {
  click: onClick,
  keydown: onKey,
  // add more as needed
};

class Scheduler {
  start() {
    this.timer = setInterval(() => this.tick(), 1000);
  }

  // rest of the handlers
}

function validateToken(token) {
  // validate the token against the issuer
}

module.exports = { buildRouter, dispatch, handlers, Scheduler, validateToken };
"""

CLEAN_ROUTES_JS = """\
const express = require('express');

function buildRouter(users) {
  const router = express.Router();
  router.get('/users', users.list);
  router.get('/users/:id', users.get);
  // Both routes above share the users service; nothing else is mounted here.
  return router;
}

function parse(argv) {
  const out = [];
  for (const arg of argv) {
    // eslint-disable-next-line no-continue
    if (!arg) continue;
    out.push(arg);
  }
  return out;
}

/**
 * Plugins to load. Add more as needed in the config file, not here.
 */
function plugins(config) {
  if (!config.plugins) {
    // no plugins configured: an empty list is the documented default
    return [];
  }
  return config.plugins.map((p) => require(p));
}

function noop() {
  // intentionally empty: callers pass it where a callback is required
}

const colors = {
  red: 31,
  green: 32,
  // bright variants start at 90
};

module.exports = { buildRouter, parse, plugins, noop, colors };
"""

PAYMENTS_TS = """\
import { logger } from './logger';

export interface Charge {
  id: string;
  amount: number;
  status: string;
}

export async function getExchangeRate(from: string, to: string): Promise<number> {
  // Mock data for now, replace with the real rates API
  return 1.08;
}

export async function fetchOrders(customerId: string) {
  // In a real implementation this would call the orders service
  await new Promise((resolve) => setTimeout(resolve, 300));
  return [
    { id: 'o-1', total: 42.5, status: 'shipped' },
    { id: 'o-2', total: 19.99, status: 'pending' },
  ];
}

export async function chargeCard(cardToken: string, amount: number): Promise<boolean> {
  console.log(`Charging ${amount} to card ${cardToken}`);
  return true;
}

export const sendReceipt = async (email: string, charge: Charge) => {
  logger.info('sending receipt', { email, id: charge.id });
  return { ok: true };
};

export class MockPaymentGateway {
  charge(amount: number): Charge {
    return { id: 'ch_test', amount, status: 'succeeded' };
  }
}

export const gateway = new MockPaymentGateway();
"""

CLEAN_PAYMENTS_TS = """\
import { logger } from './logger';
import type { Client } from './client';

export const DEFAULT_CURRENCY = 'EUR';

export function defaultRetries(): number {
  // Three attempts cover a transient network failure without stalling checkout.
  return 3;
}

export async function chargeCard(client: Client, token: string, amount: number) {
  logger.info('charging card', { amount });
  const result = await client.post('/charges', { token, amount });
  return result.data;
}

export function emptyCart() {
  // A fresh cart holds no items; callers push into the returned array.
  return [];
}
"""

LOGGER_TS = """\
export const logger = {
  info: (message: string, data?: object) => console.log(message, data),
};
"""

GATEWAY_MOCK_TS = """\
export class MockPaymentGateway {
  charge(amount: number) {
    // mock data for the tests
    return { id: 'ch_test', amount, status: 'succeeded' };
  }
}

export const gateway = new MockPaymentGateway();
"""

NOTIFY_GO = """\
package notify

import (
\t"log"
)

type Message struct {
\tTo   string
\tBody string
}

// SendEmail delivers the message through the mail relay.
func SendEmail(m Message) error {
\tlog.Printf("sending email to %s", m.To)
\treturn nil
}

func FetchQuota(user string) (int, error) {
\t// hard-coded for now until the billing API is ready
\treturn 1000, nil
}

func Route(kind string) string {
\tswitch kind {
\tcase "email":
\t\treturn "smtp"
\tcase "sms":
\t\treturn "twilio"
\t// similar for the other channels
\t}
\treturn ""
}

type FakeStore struct{}

func NewStore() *FakeStore {
\treturn &FakeStore{}
}
"""

CLEAN_NOTIFY_GO = """\
package notify

import (
\t"fmt"
\t"log"
\t"net/smtp"
)

type Message struct {
\tTo   string
\tBody string
}

// SendEmail delivers the message through the mail relay.
func SendEmail(addr string, m Message) error {
\tlog.Printf("sending email to %s", m.To)
\treturn smtp.SendMail(addr, nil, "noreply@example.com", []string{m.To}, []byte(m.Body))
}

// DefaultPort is the submission port; 25 is blocked by most providers.
func DefaultPort() int {
\t// 587 is the submission port of RFC 6409.
\treturn 587
}

func Route(kind string) string {
\tswitch kind {
\tcase "email":
\t\treturn "smtp"
\tdefault:
\t\t// every other channel goes through the queue
\t\treturn "queue"
\t}
}

//nolint:unused
func unused() {}

type frame struct {
	pc  uintptr
	sp  uintptr
	// top of stack is here
}

func latest(versions []string) (string, error) {
	if len(versions) == 0 {
		return "", nil
	}

	// Call lookup to get the other fields of the newest one, with its origin.
	return lookup(versions[len(versions)-1])
}

// Version returns the OS version name.
func Version() (string, error) {
	// Detection differs between runtimes and there is no standard
	// interface to ask; for now we leave this unimplemented.
	return "", fmt.Errorf("unimplemented")
}
"""


def write(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        target = root / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text)


def shapes(root: Path) -> list[tuple[str, str, int, Severity]]:
    report = validate_path(root, workers=1)
    assert report.complete, report.failures
    found = [
        (f.path.replace("\\", "/").rsplit("/", 1)[-1], f.rule, f.line, f.severity)
        for f in report.findings
        if f.rule in SHAPES
    ]
    return sorted(found, key=lambda f: (f[0], f[2], f[1]))


def test_elided_javascript_code_is_found_by_its_place(tmp_path: Path) -> None:
    write(tmp_path, {"package.json": '{"name": "app"}', "src/routes.js": ROUTES_JS})
    assert shapes(tmp_path) == [
        ("routes.js", "placeholder.elided-code", 8, Severity.MEDIUM),
        ("routes.js", "placeholder.elided-code", 18, Severity.MEDIUM),
        ("routes.js", "placeholder.elided-code", 25, Severity.MEDIUM),
        ("routes.js", "placeholder.elided-code", 33, Severity.MEDIUM),
        ("routes.js", "placeholder.elided-code", 37, Severity.MEDIUM),
    ]


def test_comments_that_describe_or_direct_tools_are_quiet(tmp_path: Path) -> None:
    write(tmp_path, {"package.json": '{"name": "app"}', "src/routes.js": CLEAN_ROUTES_JS})
    assert shapes(tmp_path) == []


def test_fake_typescript_implementations_are_reported(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "package.json": '{"name": "shop"}',
            "src/logger.ts": LOGGER_TS,
            "src/payments.ts": PAYMENTS_TS,
        },
    )
    assert shapes(tmp_path) == [
        # Made-up data is pointed at where it is returned; log-only functions as a whole.
        ("payments.ts", "placeholder.fake-implementation", 11, Severity.HIGH),
        ("payments.ts", "placeholder.fake-implementation", 17, Severity.HIGH),
        ("payments.ts", "placeholder.fake-implementation", 23, Severity.HIGH),
        ("payments.ts", "placeholder.fake-implementation", 28, Severity.HIGH),
        ("payments.ts", "placeholder.test-double", 33, Severity.MEDIUM),
    ]


def test_real_typescript_with_literal_defaults_is_quiet(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "package.json": '{"name": "shop"}',
            "src/logger.ts": LOGGER_TS,
            "src/payments.ts": CLEAN_PAYMENTS_TS,
        },
    )
    assert shapes(tmp_path) == []


def test_mocks_tests_and_stories_are_low(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "package.json": '{"name": "shop"}',
            "src/__mocks__/gateway.ts": GATEWAY_MOCK_TS,
            "src/payments.test.ts": PAYMENTS_TS,
            "src/Button.stories.tsx": ROUTES_JS,
        },
    )
    found = shapes(tmp_path)
    assert found, "stand-ins in test code are still listed"
    assert {severity for *_, severity in found} == {Severity.LOW}
    assert {name for name, *_ in found} == {"gateway.ts", "payments.test.ts", "Button.stories.tsx"}


def test_go_fakes_elisions_and_stand_in_types(tmp_path: Path) -> None:
    write(tmp_path, {"go.mod": "module example.com/notify\n\ngo 1.22\n", "notify.go": NOTIFY_GO})
    assert shapes(tmp_path) == [
        ("notify.go", "placeholder.fake-implementation", 13, Severity.HIGH),
        ("notify.go", "placeholder.fake-implementation", 20, Severity.HIGH),
        ("notify.go", "placeholder.elided-code", 29, Severity.MEDIUM),
        ("notify.go", "placeholder.test-double", 34, Severity.MEDIUM),
    ]


def test_real_go_is_quiet(tmp_path: Path) -> None:
    write(
        tmp_path, {"go.mod": "module example.com/notify\n\ngo 1.22\n", "notify.go": CLEAN_NOTIFY_GO}
    )
    assert shapes(tmp_path) == []


def test_go_stand_ins_in_test_files_are_low(tmp_path: Path) -> None:
    write(
        tmp_path,
        {"go.mod": "module example.com/notify\n\ngo 1.22\n", "notify_test.go": NOTIFY_GO},
    )
    found = shapes(tmp_path)
    assert len(found) == 4
    assert {severity for *_, severity in found} == {Severity.LOW}


# --- names imported from the project's own modules -------------------------------------------

SHOP_FILES = {
    "package.json": '{"name": "shop", "type": "module"}',
    "tsconfig.json": '{"compilerOptions": {"strict": true}}',
    "src/models/index.ts": (
        "export * from './user';\n"
        "export { Order as PurchaseOrder } from './order';\n"
        "export type { Money } from './money';\n"
    ),
    "src/models/user.ts": (
        "export interface User { id: string; email: string }\n"
        "export function isAdmin(user: User): boolean { return user.email.endsWith('@corp'); }\n"
        "export default class UserStore {}\n"
    ),
    "src/models/order.ts": "export class Order { constructor(public id: string) {} }\n",
    "src/models/money.ts": "export type Money = { amount: number; currency: string };\n",
    "src/services/billing.ts": (
        "import UserStore, { User, isAdmin, validateUser } from '../models/user';\n"
        "import { PurchaseOrder, Money, OrderStatus } from '../models';\n"
        "\n"
        "export function bill(user: User, order: PurchaseOrder, total: Money) {\n"
        "  if (!validateUser(user) || isAdmin(user)) return null;\n"
        "  return { store: new UserStore(), order, total, status: OrderStatus.Open };\n"
        "}\n"
    ),
    "lib/config.js": (
        "const path = require('path');\n"
        "function load(dir) { return require(path.join(dir, 'config.json')); }\n"
        "module.exports = { load, defaults: { port: 8080 } };\n"
    ),
    "lib/helpers.js": "exports.slugify = (s) => s.toLowerCase();\nexports.VERSION = '1.0';\n",
    "lib/dynamic.js": "module.exports = require('./helpers');\n",
    "lib/options.mjs": "/** @typedef {{ port: number }} Options */\nexport const PORT = 1;\n",
    "lib/cli.mjs": "import { PORT, Options } from './options.mjs';\nexport { PORT, Options };\n",
    "lib/config.d.ts": (
        "import { Config } from './config.js';\nexport declare function load(): Config;\n"
    ),
    "lib/server.js": (
        "const { load, defaults, watchConfig } = require('./config');\n"
        "const { slugify, VERSION } = require('./helpers');\n"
        "const { anything } = require('./dynamic');\n"
        "module.exports = { start: () => [load(), defaults, watchConfig, slugify, VERSION] };\n"
    ),
}


def test_names_the_project_module_does_not_export(tmp_path: Path) -> None:
    write(tmp_path, SHOP_FILES)
    report = validate_path(tmp_path, workers=1)
    assert report.complete, report.failures
    found = sorted(
        (f.path.replace("\\", "/").rsplit("/", 1)[-1], f.line, f.message, f.severity)
        for f in report.findings
        if f.rule == "names.missing-import-name"
    )
    assert found == [
        (
            "billing.ts",
            1,
            "`validateUser` is not exported by '../models/user' (user.ts)",
            Severity.HIGH,
        ),
        ("billing.ts", 2, "`OrderStatus` is not exported by '../models' (index.ts)", Severity.HIGH),
        ("server.js", 1, "`watchConfig` is not exported by './config' (config.js)", Severity.HIGH),
    ]


# A guard clause before the canned answer does not make it real work, and a canned answer may
# echo its arguments; a trailing "until ... is wired up" defers the real check.
GUARDED_FAKES_TS = """\
export interface Refund {
  id: string;
  state: 'done' | 'rejected';
  cents: number;
}

export class RefundClient {
  constructor(private readonly token: string) {}

  async refund(orderId: string, cents: number): Promise<Refund> {
    if (cents <= 0) {
      throw new RangeError('cents must be positive');
    }
    // In a real implementation this would call the bank's refund endpoint
    return { id: `rf_${orderId}`, state: 'done', cents };
  }
}

export function isAdmin(user: string): boolean {
  if (!user) {
    return false;
  }
  return true; // every signed-in user counts as admin until roles are implemented
}
"""

GUARDED_REAL_TS = """\
export class RefundClient {
  constructor(private readonly base: string) {}

  async refund(orderId: string, cents: number): Promise<{ id: string; cents: number }> {
    if (cents <= 0) {
      throw new RangeError('cents must be positive');
    }
    const response = await fetch(`${this.base}/refunds`, {
      method: 'POST',
      body: JSON.stringify({ orderId, cents }),
    });
    return { id: `rf_${orderId}`, cents: (await response.json()).cents };
  }
}

export function isAdmin(roles: string[]): boolean {
  if (roles.length === 0) {
    return false;
  }
  return true; // any role at all grants the admin view until the queue drains
}

export function label(orderId: string): string {
  if (!orderId) {
    throw new Error('no order');
  }
  // The receipt id is the order id with a prefix, as the bank expects it.
  return `rf_${orderId}`;
}
"""


def test_guarded_fakes_that_echo_their_arguments_are_reported(tmp_path: Path) -> None:
    write(tmp_path, {"package.json": '{"name": "shop"}', "src/refunds.ts": GUARDED_FAKES_TS})
    assert shapes(tmp_path) == [
        ("refunds.ts", "placeholder.fake-implementation", 15, Severity.HIGH),
        ("refunds.ts", "placeholder.fake-implementation", 23, Severity.HIGH),
    ]


def test_guarded_real_work_and_described_returns_are_quiet(tmp_path: Path) -> None:
    write(tmp_path, {"package.json": '{"name": "shop"}', "src/refunds.ts": GUARDED_REAL_TS})
    assert shapes(tmp_path) == []


ROUTES_TAIL_JS = """\
const express = require('express');

const router = express.Router();

router.get('/tickets', async (req, res) => {
  res.json(await req.app.locals.store.all());
});

router.delete('/tickets/:id', async (req, res) => {
  await req.app.locals.store.remove(req.params.id);
  res.status(204).end();
});

// ... remaining routes
"""

ROUTES_TAIL_EXPORT_JS = ROUTES_TAIL_JS + "\nmodule.exports = router;\n"

CLEAN_TAIL_JS = """\
const express = require('express');

const router = express.Router();

router.get('/tickets', async (req, res) => {
  res.json(await req.app.locals.store.all());
});

// Deleting tickets is done by the archive job, never over HTTP.

module.exports = router;
"""


def test_a_comment_standing_for_the_rest_of_a_module_is_elided_code(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "package.json": '{"name": "desk"}',
            "src/routes.js": ROUTES_TAIL_JS,
            "src/exported.js": ROUTES_TAIL_EXPORT_JS,
            "src/clean.js": CLEAN_TAIL_JS,
        },
    )
    assert shapes(tmp_path) == [
        ("exported.js", "placeholder.elided-code", 14, Severity.MEDIUM),
        ("routes.js", "placeholder.elided-code", 14, Severity.MEDIUM),
    ]


NAMESPACE_FILES = {
    "package.json": '{"name": "till", "type": "module"}',
    "src/tax.js": (
        "export function grossOf(cents, rate = 0.2) { return Math.round(cents * (1 + rate)); }\n"
        "export const RATE = 0.2;\n"
    ),
    "lib/units.js": "module.exports = { toCents: (x) => Math.round(x * 100) };\n",
    # Exports added by a call cannot be listed: nothing is said about this module's users.
    "lib/assigned.js": "module.exports = {};\nObject.assign(module.exports, { a: 1 });\n",
    "lib/uses.js": "const assigned = require('./assigned');\nmodule.exports = assigned.a;\n",
    # ``tax.applyTax`` was renamed to ``grossOf`` in tax.js; this caller was left behind.
    "src/receipt.js": (
        "import * as tax from './tax.js';\n"
        "\n"
        "export function receipt(lines) {\n"
        "  const net = lines.reduce((sum, l) => sum + l.cents, 0);\n"
        "  return `total ${tax.applyTax(net)} at ${tax.RATE}`;\n"
        "}\n"
    ),
    "lib/price.js": (
        "const units = require('./units');\n"
        "module.exports = { price: (x) => units.toCents(x) + units.fromCents(x) };\n"
    ),
    # Look-alikes: the name is shadowed, or the namespace gets a member written to it.
    "src/quiet.js": (
        "import * as tax from './tax.js';\n"
        "const units = require('../lib/units');\n"
        "units.toPennies = (c) => c;\n"
        "export function a(tax) { return tax.applyTax(1); }\n"
        "export function b() { return units.toPennies(tax.grossOf(1)) + tax.RATE; }\n"
    ),
}


def test_names_used_through_a_namespace_import_that_the_module_lacks(tmp_path: Path) -> None:
    write(tmp_path, NAMESPACE_FILES)
    report = validate_path(tmp_path, workers=1)
    assert report.complete, report.failures
    found = sorted(
        (f.path.replace("\\", "/"), f.line, f.message, f.severity)
        for f in report.findings
        if f.rule == "names.missing-import-name"
    )
    assert found == [
        ("lib/price.js", 2, "`fromCents` is not exported by './units' (units.js)", Severity.HIGH),
        ("src/receipt.js", 5, "`applyTax` is not exported by './tax.js' (tax.js)", Severity.HIGH),
    ]


LOGGED_SENDS_JS = """\
export async function sendInvite(member, address) {
  // the mail relay is not reachable from here; report it delivered like the relay would
  console.log(`[mail] invite for ${member.name} -> ${address}`);
  return { delivered: true, messageId: `local-${member.id}` };
}

export async function sendDigest(member, transport) {
  console.log(`[mail] digest for ${member.name}`);
  const sent = await transport.send({ to: member.email, subject: 'Digest' });
  return { delivered: true, messageId: sent.id };
}

export function describeInvite(member) {
  console.debug('describing', member.id);
  return { kind: 'invite', ref: `inv-${member.id}` };
}
"""


def test_a_send_that_only_logs_and_answers_with_its_own_ids_is_reported(tmp_path: Path) -> None:
    # The success answer repeats the input (``local-${member.id}``): nothing was sent.
    write(tmp_path, {"package.json": '{"name": "club"}', "src/mail.js": LOGGED_SENDS_JS})
    assert shapes(tmp_path) == [("mail.js", "placeholder.fake-implementation", 1, Severity.HIGH)]
