// The stack tests start real processes (npm start's supervisor, the CLIs): one file at a time.
module.exports = { ...require('../../jest.preset.js'), testTimeout: 180000, maxWorkers: 1 };
