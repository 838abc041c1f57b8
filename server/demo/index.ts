export { seedDemo, type DemoLogin, type DemoScale } from './seed.js';
