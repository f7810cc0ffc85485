import { Inject, Injectable } from '@nestjs/common';
import { shanghaiDate } from '../../common/dates.js';
import { translate, type Locale } from '../../common/i18n/i18n.js';
import { parsePdfMarkup } from '../../common/pdf/pdf-markup.js';
import { renderPdf } from '../../common/pdf/pdf-renderer.js';
import { TemplateRegistry } from '../../common/views/handlebars.js';
import { APP_CONFIG } from '../../config/config.module.js';
import type { AppConfig } from '../../config/config.schema.js';
import type { Certificate, CertificateStatus } from './certificate.entity.js';
import { displayCode } from './certificate-code.js';

/** What a certificate shows, formatted for a reader. */
export interface CertificateView {
  id: string;
  code: string;
  displayCode: string;
  status: CertificateStatus;
  fullName: string;
  courseTitle: string;
  offeringLabel: string;
  hours: string;
  credits: string;
  completedOn: string;
  completedOnText: string;
  issuer: string;
  partial: boolean;
  issuedOn: string | null;
  revokedOn: string | null;
  verifyUrl: string;
}

/** The stored PDF is in the district's language, whoever triggers its rendering. */
const PDF_LOCALE: Locale = 'zh-CN';

export function amountText(value: number): string {
  return String(Math.round(value * 100) / 100);
}

/** 2026年5月1日 in Chinese, 1 May 2026 in English. */
export function dateText(isoDate: string, locale: Locale): string {
  const [y, m, d] = isoDate.split('-').map(Number);
  if (locale === 'zh-CN') return `${y}年${m}月${d}日`;
  return new Date(Date.UTC(y, m - 1, d)).toLocaleDateString('en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' });
}

/** Certificates as HTML (templates/certificates/certificate.hbs) and PDF (certificate.pdf.hbs, embedded Chinese font). */
@Injectable()
export class CertificateRenderer {
  constructor(private readonly templates: TemplateRegistry, @Inject(APP_CONFIG) private readonly config: AppConfig) {}

  /** Where anyone can check the code; APP_BASE_URL in production, else the address the request came to. */
  verifyUrl(code: string, requestBase?: string): string {
    const base = (this.config.APP_BASE_URL ?? requestBase ?? `http://localhost:${this.config.PORT}`).replace(/\/+$/, '');
    return `${base}/verify/${code}`;
  }

  view(certificate: Certificate, locale: Locale, requestBase?: string): CertificateView {
    const s = certificate.snapshot;
    return {
      id: certificate.id, code: certificate.code, displayCode: displayCode(certificate.code), status: certificate.status,
      fullName: s.fullName, courseTitle: s.courseTitle, offeringLabel: s.offeringLabel, hours: amountText(s.hours), credits: amountText(s.credits),
      completedOn: s.completedOn, completedOnText: dateText(s.completedOn, locale), issuer: s.issuer, partial: s.partial,
      issuedOn: certificate.issuedAt ? shanghaiDate(certificate.issuedAt) : null,
      revokedOn: certificate.revokedAt ? shanghaiDate(certificate.revokedAt) : null,
      verifyUrl: this.verifyUrl(certificate.code, requestBase),
    };
  }

  html(certificate: Certificate, locale: Locale, extras: { requestBase?: string; csrfToken: string; flash: unknown[]; canManage: boolean; backHref: string }): string {
    const view = this.view(certificate, locale, extras.requestBase);
    return this.templates.render('certificates/certificate', {
      locale, otherLocale: locale === 'zh-CN' ? 'en' : 'zh-CN', certificate: view, ...extras,
      title: translate(locale, 'certificates.title'),
    });
  }

  async pdf(certificate: Certificate): Promise<{ bytes: Buffer; filename: string }> {
    const view = this.view(certificate, PDF_LOCALE);
    const markup = this.templates.render('certificates/certificate.pdf', { locale: PDF_LOCALE, certificate: view });
    const title = translate(PDF_LOCALE, 'certificates.pdf.title');
    const bytes = await renderPdf(parsePdfMarkup(markup), {
      title: `${title} · ${view.fullName} · ${view.courseTitle}`, author: view.issuer, landscape: true, frame: true,
    });
    return { bytes, filename: `${title}-${view.fullName}-${certificate.code}.pdf` };
  }
}
