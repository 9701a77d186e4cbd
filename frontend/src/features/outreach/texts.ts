/**
 * Adds the meetings' texts to the translations (the `outreach` section; its navigation labels
 * are in the main bundle). Imported by every module of the feature that shows text, so the
 * texts arrive with the first meetings page (or panel) and never weigh on the initial bundle.
 */
import i18n from '../../i18n/i18n';
import { outreachEn } from './texts.en';
import { outreachRu } from './texts.ru';

function add() {
  i18n.addResourceBundle('ru', 'translation', { outreach: outreachRu }, true, true);
  i18n.addResourceBundle('en', 'translation', { outreach: outreachEn }, true, true);
}

if (i18n.isInitialized) add();
else i18n.on('initialized', add);
