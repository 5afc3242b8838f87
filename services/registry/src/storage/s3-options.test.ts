import { parseS3Options } from './s3-options';

describe('parseS3Options', () => {
  it("reads Distribution's key names, with path-style addressing for a custom endpoint", () => {
    const options = parseS3Options({
      region: 'eu-west-1',
      bucket: 'harbor',
      accesskey: 'AK',
      secretkey: 'SK',
      regionendpoint: 'minio.internal:9000',
      secure: 'false',
      rootdirectory: '/registry/',
      chunksize: '8388608',
    });
    expect(options).toMatchObject({
      region: 'eu-west-1',
      bucket: 'harbor',
      accessKey: 'AK',
      secretKey: 'SK',
      endpoint: 'http://minio.internal:9000',
      forcePathStyle: true,
      rootDirectory: 'registry',
      chunkSize: 8388608,
      redirect: false,
    });
  });

  it('uses virtual-host addressing on AWS itself, and redirect when asked', () => {
    expect(parseS3Options({ region: 'us-east-1', bucket: 'b', redirect: 'true' })).toMatchObject({ forcePathStyle: false, redirect: true });
    expect(parseS3Options({ region: 'us-east-1', bucket: 'b', disableredirect: 'false' })).toMatchObject({ redirect: true });
  });

  it('refuses missing, unknown and malformed options with the key named', () => {
    expect(() => parseS3Options({ bucket: 'b' })).toThrow('region is required');
    expect(() => parseS3Options({ region: 'r' })).toThrow('bucket is required');
    expect(() => parseS3Options({ region: 'r', bucket: 'b', bukket: 'x' })).toThrow('unknown option(s) bukket');
    expect(() => parseS3Options({ region: 'r', bucket: 'b', chunksize: '1024' })).toThrow('chunksize must be at least');
    expect(() => parseS3Options({ region: 'r', bucket: 'b', chunksize: '10MB' })).toThrow('chunksize must be a positive integer');
    expect(() => parseS3Options({ region: 'r', bucket: 'b', secure: 'maybe' })).toThrow('secure must be true or false');
    expect(() => parseS3Options({ region: 'r', bucket: 'b', accesskey: 'only' })).toThrow('accesskey and secretkey go together');
  });
});
