import { defineConfig } from 'orchestai';

export default defineConfig({ workflows: ['./flows/greet.ts'] });
