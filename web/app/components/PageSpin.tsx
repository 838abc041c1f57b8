import { Spin } from 'antd';

export function PageSpin() {
  return (
    <div className="linli-center">
      <Spin size="large" />
    </div>
  );
}
