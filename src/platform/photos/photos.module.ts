import { Module } from '@nestjs/common';
import { SenderPhotoStore } from './sender-photo-store.js';

@Module({ providers: [SenderPhotoStore], exports: [SenderPhotoStore] })
export class PhotosModule {}
