import type { Article } from '@/lib/contract/article';
import { matchesArticle, matchesForms } from '@/lib/contract/filters';
import type { NewsSelection } from '@/lib/contract/query';

/** Contract §6.4: whether an article passes the request's `q` and `forms` (none: everything passes). */
export function passesFilters(selection: Pick<NewsSelection, 'query' | 'forms'>): (article: Article) => boolean {
  const { query, forms } = selection;
  if (!query && !forms) return () => true;
  return (article) => (!query || matchesArticle(query, article)) && (!forms || matchesForms(forms, article.form));
}
