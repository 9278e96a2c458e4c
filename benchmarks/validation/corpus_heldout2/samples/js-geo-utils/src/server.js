'use strict';

const express = require('express');
const { storeRoutes } = require('../routes/stores');
const stores = require('../stores.json');

const app = express();
app.use('/stores', storeRoutes(stores));
app.listen(Number(process.env.PORT || 3000));
