// Imported first by tests that check colours: chalk reads FORCE_COLOR once, when ink is first loaded.
process.env.FORCE_COLOR = '1';
