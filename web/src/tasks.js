// The annual task lists and their supervision (督办): their pages, over
// /api/v1/task-lists and /api/v1/tasks.  Texts in TEXT (中文 first), pages
// in PAGES by route.
// eslint-disable-next-line no-unused-vars
import { h, t, api } from './app.js';

export const TEXT = {
  zh: { navTasks: '督办' },
  en: { navTasks: 'Tasks' },
};

export const PAGES = {};
