// Only the type is imported: tailwindcss runs at build time and is a dev dependency.
import type { Config } from 'tailwindcss';

export default {
  content: ['./src/**/*.{ts,html}'],
  theme: {
    extend: {
      colors: {
        brand: { 50: '#eef7ff', 500: '#1f6feb', 900: '#0b2a5b' },
      },
      fontFamily: {
        sans: ['Inter', 'system-ui', 'sans-serif'],
      },
    },
  },
  plugins: [],
} satisfies Config;
