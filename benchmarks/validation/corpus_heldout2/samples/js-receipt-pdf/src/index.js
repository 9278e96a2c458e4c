'use strict';

const express = require('express');
const { renderReceipt } = require('./pdf');

const shop = {
  name: 'Corner Books',
  address: '12 Harbour Street, Galway',
  vatId: 'IE1234567T',
};

const app = express();
app.use(express.json({ limit: '200kb' }));

app.post('/receipts.pdf', async (req, res, next) => {
  const receipt = req.body;
  if (!receipt || !Array.isArray(receipt.items) || receipt.items.length === 0) {
    return res.status(400).json({ error: 'a receipt needs items' });
  }
  try {
    const pdf = await renderReceipt(shop, receipt);
    res.type('application/pdf').send(pdf);
  } catch (err) {
    next(err);
  }
});

app.listen(Number(process.env.PORT || 3000));
