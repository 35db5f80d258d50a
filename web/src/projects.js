// The key-project pipeline (项目为王): its pages, over /api/v1/projects and
// /api/v1/programmes.  Texts in TEXT (中文 first), pages in PAGES by route.
// eslint-disable-next-line no-unused-vars
import { h, t, api } from './app.js';

export const TEXT = {
  zh: { navProjects: '项目' },
  en: { navProjects: 'Projects' },
};

export const PAGES = {};
