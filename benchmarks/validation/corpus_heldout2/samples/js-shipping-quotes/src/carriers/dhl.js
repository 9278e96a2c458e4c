'use strict';

const axios = require('axios');

const client = axios.create({
  baseURL: process.env.DHL_API_URL || 'https://express.api.dhl.com/mydhlapi',
  timeout: 8000,
  auth: {
    username: process.env.DHL_API_KEY || '',
    password: process.env.DHL_API_SECRET || '',
  },
});

async function quote({ from, to, weightKg, dimensionsCm }) {
  const { data } = await client.get('/rates', {
    params: {
      originCountryCode: from.country,
      originPostalCode: from.postcode,
      originCityName: from.city,
      destinationCountryCode: to.country,
      destinationPostalCode: to.postcode,
      destinationCityName: to.city,
      weight: weightKg,
      length: dimensionsCm.length,
      width: dimensionsCm.width,
      height: dimensionsCm.height,
      plannedShippingDate: new Date().toISOString().slice(0, 10),
      isCustomsDeclarable: from.country !== to.country,
      unitOfMeasurement: 'metric',
    },
  });
  return data.products.map((p) => ({
    carrier: 'dhl',
    service: p.productName,
    priceCents: Math.round(Number(p.totalPrice[0].price) * 100),
    currency: p.totalPrice[0].priceCurrency,
    etaDays: p.deliveryCapabilities?.totalTransitDays ?? null,
  }));
}

module.exports = { name: 'dhl', quote };
