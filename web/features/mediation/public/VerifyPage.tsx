// /verify — anyone holding an agreement's PDF checks whether it is, byte for byte, the agreement as the
// platform generated it: the file's SHA-256 is compared with the one recorded when it was drafted. The
// answer says so plainly either way.
import { useState } from 'react';
import { useMutation } from '@tanstack/react-query';
import { Alert, Button, Card, ConfigProvider, Space, Typography, Upload } from 'antd';
import { useTranslation } from 'react-i18next';
import { verifyAgreement } from '../../../api/mediation.js';
import { ErrorAlert } from '../../../app/components/ErrorAlert.js';
import { LangSwitch } from '../../../app/components/LangSwitch.js';
import { FINGER_THEME } from '../../public/fingerTheme.js';
import '../mediation.css';

/** The file's SHA-256 in hex, where the browser can compute it (a secure page). */
async function sha256Of(file: File): Promise<string | null> {
  if (!globalThis.crypto?.subtle) return null;
  const digest = await crypto.subtle.digest('SHA-256', await file.arrayBuffer());
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

export default function VerifyPage() {
  const { t } = useTranslation();
  const [file, setFile] = useState<{ name: string; sha256: string | null } | null>(null);
  const check = useMutation({
    mutationFn: async (f: File) => {
      setFile({ name: f.name, sha256: await sha256Of(f).catch(() => null) });
      return verifyAgreement(f);
    },
  });
  const r = check.data;
  return (
    <ConfigProvider theme={FINGER_THEME}>
      <div className="linli-public">
        <Space style={{ width: '100%', justifyContent: 'space-between', marginBottom: 12 }}>
          <Typography.Title level={3} style={{ margin: 0 }}>
            {t('mediation.pub.verifyTitle')}
          </Typography.Title>
          <LangSwitch />
        </Space>
        <Card>
          <Typography.Paragraph>{t('mediation.pub.verifyText')}</Typography.Paragraph>
          <Upload
            accept="application/pdf,.pdf"
            showUploadList={false}
            beforeUpload={(f) => {
              check.mutate(f);
              return false;
            }}
          >
            <Button type="primary" loading={check.isPending} data-testid="verify-file">
              {t('mediation.pub.chooseFile')}
            </Button>
          </Upload>
          {file && (
            <p style={{ marginTop: 12 }}>
              {file.name}
              {file.sha256 && (
                <span className="linli-med-hash" style={{ display: 'block' }}>
                  SHA-256 {file.sha256}
                </span>
              )}
            </p>
          )}
          {check.isError && <ErrorAlert error={check.error} style={{ marginTop: 12 }} />}
          {r && !check.isPending && (
            <Alert
              style={{ marginTop: 12 }}
              role="status"
              showIcon
              type={r.matches ? 'success' : 'error'}
              data-testid={r.matches ? 'verify-match' : 'verify-mismatch'}
              title={r.matches ? t('mediation.pub.matches') : t('mediation.pub.noMatch')}
              description={
                r.matches
                  ? t('mediation.pub.matchesText', { id: r.agreementId ?? '' })
                  : t('mediation.pub.noMatchText')
              }
            />
          )}
        </Card>
      </div>
    </ConfigProvider>
  );
}
