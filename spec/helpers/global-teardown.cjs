module.exports = async function globalTeardown() {
  await globalThis.__fnDistilPrism?.stop();
};
