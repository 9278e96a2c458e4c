'use strict';

// One module per command; the CLI only needs the merged table.
module.exports = {
  ...require('./diff'),
  ...require('./check'),
};
